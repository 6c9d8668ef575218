namespace AspireResilience.AuthService;

/// <summary>
/// The Redis names this service writes. The Backend reads <see cref="RevokedJti"/>,
/// <see cref="RevokedFamily"/> and <see cref="RevocationsChannel"/>: keep them stable.
/// </summary>
public static class AuthRedisKeys
{
    /// <summary>Pub/sub channel carrying one JSON <c>RevocationMessage</c> per revocation.</summary>
    public const string RevocationsChannel = "auth:revocations";

    public const string RefreshTokenPrefix = "auth:refresh:";
    public const string RefreshFamilyPrefix = "auth:refresh-family:";
    public const string RevokedFamilyPrefix = "auth:revoked-family:";
    public const string RevokedJtiPrefix = "auth:revoked-jti:";

    /// <summary>Hash of one refresh token, keyed by the SHA-256 of the token (never the token).</summary>
    public static string RefreshToken(string tokenHash) => RefreshTokenPrefix + tokenHash;

    public static string RefreshFamily(string familyId) => RefreshFamilyPrefix + familyId;

    public static string RevokedFamily(string familyId) => RevokedFamilyPrefix + familyId;

    public static string RevokedJti(string jti) => RevokedJtiPrefix + jti;
}
