namespace AspireResilience.AuthService.Tokens;

/// <summary>The claims of an access token whose signature, issuer, audience and lifetime checked out.</summary>
public sealed record AccessTokenClaims(string Subject, string Jti, string? FamilyId, DateTimeOffset ExpiresAt);
