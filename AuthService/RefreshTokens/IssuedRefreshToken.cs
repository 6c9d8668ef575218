namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>A new refresh token (returned to the client once, stored only as a hash).</summary>
public sealed record IssuedRefreshToken(string Token, string FamilyId)
{
    public override string ToString() => $"{nameof(IssuedRefreshToken)} {{ FamilyId = {FamilyId} }}";
}
