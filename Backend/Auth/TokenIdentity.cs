namespace AspireResilience.Backend.Auth;

/// <summary>Who a valid token speaks for, and until when.</summary>
/// <param name="FamilyId">The refresh-token family the token came from (<c>fid</c>), for revocation.</param>
public sealed record TokenIdentity(string Subject, string? TokenId, string? FamilyId, DateTimeOffset ExpiresAt);

public enum TokenFailure { None, Expired, Invalid, Revoked }

/// <summary>The outcome of a token check: an identity, or why there is none.</summary>
public readonly record struct TokenCheck(TokenIdentity? Identity, TokenFailure Failure)
{
    public static TokenCheck Fail(TokenFailure failure) => new(null, failure);
}
