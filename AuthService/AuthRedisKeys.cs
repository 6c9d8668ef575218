namespace AspireResilience.AuthService;

/// <summary>
/// The Redis names only this service reads and writes. What the Backend reads too (revoked
/// tokens and families, the revocation channel) is in <see cref="Contracts.RevocationContract"/>.
/// </summary>
public static class AuthRedisKeys
{
    public const string RefreshTokenPrefix = "auth:refresh:";
    public const string RefreshFamilyPrefix = "auth:refresh-family:";

    /// <summary>
    /// Hash of one refresh token, keyed by the SHA-256 of the token (never the token), under its
    /// family's hash tag: a token, its successor and its family live in one cluster slot.
    /// </summary>
    public static string RefreshToken(string familyId, string tokenHash) => $"{RefreshTokenPrefix}{{{familyId}}}:{tokenHash}";

    public static string RefreshFamily(string familyId) => $"{RefreshFamilyPrefix}{{{familyId}}}";

    /// <summary>The family id in a key made by <see cref="RefreshFamily"/>.</summary>
    public static string FamilyIdOfKey(string familyKey) => familyKey[RefreshFamilyPrefix.Length..].Trim('{', '}');
}
