namespace AspireResilience.AuthService.Requests;

/// <summary>RFC 6749 §6 refresh token grant.</summary>
public sealed record RefreshTokenGrantRequest(string RefreshToken) : TokenRequest(RefreshTokenGrantType)
{
    public override string ToString() => nameof(RefreshTokenGrantRequest);
}
