using System.Net;
using AspireResilience.Client;
using AspireResilience.Client.Tokens;
using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Sessions;

/// <summary>Opens <see cref="ResilientSession"/>s against the real Backend, with tokens from the real AuthService.</summary>
public static class SessionFactory
{
    /// <param name="env">The environment to connect to.</param>
    /// <param name="user">The user; by default the environment's next unused one.</param>
    /// <param name="reconnectBaseDelay">The client's backoff ceiling for the first attempt (default 100 ms; zero reconnects at once).</param>
    /// <param name="endpoint">Where to connect; by default through ChaosProxy (<see cref="TestEnvironment.BackendWebSocket"/>).</param>
    /// <param name="alternates">Other addresses to fail over to when <paramref name="endpoint"/> refuses.</param>
    /// <param name="localAddress">The source address to connect from (by default the OS's choice).</param>
    /// <param name="maxQueuedPrompts">The client's bound on prompts waiting for an answer (default 32).</param>
    public static async Task<TestSession> ConnectAsync(TestEnvironment env, (string Name, string Password)? user = null,
        TimeSpan? reconnectBaseDelay = null, Uri? endpoint = null, IReadOnlyList<Uri>? alternates = null,
        IPAddress? localAddress = null, int maxQueuedPrompts = 32)
    {
        var (options, name, tokens) = Options(env, user, reconnectBaseDelay, endpoint, alternates, localAddress, maxQueuedPrompts);
        return new TestSession(await ResilientSession.ConnectAsync(options, Timeouts.Token()), name, tokens);
    }

    /// <summary>Resumes a known session as a new client process would (e.g. after an app restart).</summary>
    public static async Task<TestSession> ResumeAsync(TestEnvironment env, (string Name, string Password) user, string sessionId, long lastSeq, string? epoch)
    {
        var (options, name, tokens) = Options(env, user, null, null, null, null, 32);
        return new TestSession(await ResilientSession.ResumeAsync(options, sessionId, lastSeq, epoch, Timeouts.Token()), name, tokens);
    }

    private static (ResilientSessionOptions Options, string User, UserTokens Tokens) Options(
        TestEnvironment env, (string Name, string Password)? user, TimeSpan? reconnectBaseDelay, Uri? endpoint, IReadOnlyList<Uri>? alternates,
        IPAddress? localAddress, int maxQueuedPrompts)
    {
        var (name, password) = user ?? env.Users.Next();
        var tokens = new UserTokens(env.Tokens, name, password);
        return (new ResilientSessionOptions
        {
            Endpoint = endpoint ?? env.BackendWebSocket,
            AlternateEndpoints = alternates ?? [],
            AccessTokenProvider = tokens.GetAsync,
            ReconnectBaseDelay = reconnectBaseDelay ?? TimeSpan.FromMilliseconds(100),
            LocalAddress = localAddress,
            MaxQueuedPrompts = maxQueuedPrompts,
        }, name, tokens);
    }
}
