namespace AspireResilience.AuthService.Tokens;

/// <summary>A signed access token and the facts about it that the service logs and returns.</summary>
public sealed record IssuedAccessToken(string Token, string Jti, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public long ExpiresInSeconds => (long)(ExpiresAt - IssuedAt).TotalSeconds;

    public override string ToString() => $"{nameof(IssuedAccessToken)} {{ Jti = {Jti}, ExpiresAt = {ExpiresAt:O} }}";
}
