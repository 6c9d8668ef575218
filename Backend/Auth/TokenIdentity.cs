namespace AspireResilience.Backend.Auth;

/// <summary>Who a valid token speaks for, and until when.</summary>
/// <param name="FamilyId">The refresh-token family the token came from (<c>fid</c>), for revocation.</param>
public sealed record TokenIdentity(string Subject, string? TokenId, string? FamilyId, DateTimeOffset ExpiresAt);
