namespace AspireResilience.TestSupport.Auth;

/// <summary>
/// A user's tokens as a client app keeps them: a password grant first, then the cached access
/// token until a refresh is asked for, which rotates the refresh token.
/// </summary>
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
