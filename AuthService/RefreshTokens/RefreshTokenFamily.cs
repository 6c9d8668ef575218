namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>The family (one password login and all its rotations) a refresh token belongs to.</summary>
public sealed record RefreshTokenFamily(string FamilyId, string Subject);
