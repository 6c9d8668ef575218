using AspireResilience.Client;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>Opens <see cref="ResilientSession"/>s against the real Backend, with tokens from the real AuthService.</summary>
public static class SessionFactory
{
    /// <param name="reconnectBaseDelay">The client's backoff ceiling for the first attempt (default 100 ms; zero reconnects at once).</param>
    public static async Task<TestSession> ConnectAsync(TestEnvironment env, (string Name, string Password)? user = null, TimeSpan? reconnectBaseDelay = null)
    {
        var (options, name, tokens) = Options(env, user, reconnectBaseDelay);
        return new TestSession(await ResilientSession.ConnectAsync(options, Timeouts.Token()), name, tokens);
    }

    /// <summary>Resumes a known session as a new client process would (e.g. after an app restart).</summary>
    public static async Task<TestSession> ResumeAsync(TestEnvironment env, (string Name, string Password) user, string sessionId, long lastSeq, string? epoch)
    {
        var (options, name, tokens) = Options(env, user, null);
        return new TestSession(await ResilientSession.ResumeAsync(options, sessionId, lastSeq, epoch, Timeouts.Token()), name, tokens);
    }

    private static (ResilientSessionOptions Options, string User, UserTokens Tokens) Options(
        TestEnvironment env, (string Name, string Password)? user, TimeSpan? reconnectBaseDelay)
    {
        var (name, password) = user ?? env.Users.Next();
        var tokens = new UserTokens(env.Tokens, name, password);
        return (new ResilientSessionOptions
        {
            Endpoint = env.BackendWebSocket,
            AccessTokenProvider = tokens.GetAsync,
            ReconnectBaseDelay = reconnectBaseDelay ?? TimeSpan.FromMilliseconds(100),
        }, name, tokens);
    }
}

/// <summary>A user's tokens: a password grant first, then the rotating refresh token.</summary>
public sealed class UserTokens(TokenClient client, string user, string password)
{
    private TokenResponse? _current;

    public async ValueTask<string> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        _current = _current is null ? await client.PasswordAsync(user, password, cancellationToken)
            : forceRefresh ? await client.RefreshAsync(_current.RefreshToken, cancellationToken)
            : _current;
        return _current.AccessToken;
    }
}

public sealed record TestSession(ResilientSession Session, string User, UserTokens Tokens) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Session.DisposeAsync();
}
