namespace AspireResilience.Client.Tokens;

/// <summary>
/// A user's tokens as a client app keeps them: a password grant first, then the cached access
/// token until a refresh is asked for, which rotates the refresh token. <see cref="GetAsync"/> is
/// shaped as <see cref="ResilientSessionOptions.AccessTokenProvider"/>.
/// </summary>
/// <remarks>
/// A rotating refresh token is single-use, and presenting a rotated one again is taken for theft:
/// the AuthService revokes the whole family (docs/auth.md). So one grant runs at a time (a caller
/// asking meanwhile joins it: a timer's refresh racing a reconnect's must not send the same
/// refresh token twice), and a grant once sent is seen through even when its caller gives up (a
/// link that drops mid-refresh cancels the caller, but the AuthService has already rotated the
/// token: dropping its answer would lose the only valid refresh token). The chaos soak found both.
/// A grant that hangs (a token server killed mid-request, its connection held open) is given up
/// after 30 s — longer than an AuthService restart takes (up to 18 s in the chaos soak), because
/// a proxy in front of it (DCP's, here) may hold a request across the restart and deliver it to
/// the new process: a grant given up too early is sent again, and the held one, arriving after the
/// retry's token was used, is reuse (docs/auth.md, <i>reuse grace</i>). A refresh token the
/// AuthService no longer honours (its family revoked, e.g. by "Revoke all tokens") is replaced by
/// signing in again, as an app that keeps the user's credentials would: a client is never left
/// retrying a dead token.
/// </remarks>
/// <param name="client">The token endpoint.</param>
/// <param name="user">The user name.</param>
/// <param name="password">The password, kept to sign in again; never logged or sent anywhere but the token endpoint.</param>
public sealed class UserTokens(TokenClient client, string user, string password)
{
    private static readonly TimeSpan GrantTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private TokenResponse? _current;
    private Task<TokenResponse>? _grant;

    /// <summary>The current access token, or a new one when <paramref name="forceRefresh"/> (the first call signs in).</summary>
    public async ValueTask<string> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        Task<TokenResponse> grant;
        lock (_lock)
        {
            if (_current is not null && !forceRefresh && _grant is null) return _current.AccessToken;
            var current = _current;
            grant = _grant ??= Task.Run(() => GrantAsync(current));
        }
        return (await grant.WaitAsync(cancellationToken)).AccessToken;
    }

    private async Task<TokenResponse> GrantAsync(TokenResponse? current)
    {
        try
        {
            // Not the caller's token: the grant must finish (or fail) on its own, see the remarks.
            using var bound = new CancellationTokenSource(GrantTimeout);
            TokenResponse next;
            try
            {
                next = current is null
                    ? await client.PasswordAsync(user, password, bound.Token)
                    : await client.RefreshAsync(current.RefreshToken, bound.Token);
            }
            catch (HttpRequestException ex) when (current is not null && ex.Message.Contains("invalid_grant", StringComparison.Ordinal))
            {
                next = await client.PasswordAsync(user, password, bound.Token);
            }
            lock (_lock) _current = next;
            return next;
        }
        finally
        {
            lock (_lock) _grant = null;
        }
    }
}
