namespace AspireResilience.Contracts;

/// <summary>The AuthService's admin API (mapped only with <c>Auth:EnableAdminApi</c>) and the dashboard command that calls it.</summary>
public static class AuthAdminApi
{
    /// <summary><c>POST</c>: a new current signing key; the old one stays in the JWKS as the previous key.</summary>
    public const string RotateKeyPath = "/admin/rotate-key";

    /// <summary><c>POST</c>: revokes every refresh-token family and so every token issued from one; answers <c>{"revoked": families}</c>.</summary>
    public const string RevokeAllPath = "/admin/revoke-all";

    /// <summary>The AuthService resource's dashboard command that calls <see cref="RevokeAllPath"/>.</summary>
    public const string RevokeAllCommand = "revoke-all-tokens";

    /// <summary>The AuthService resource's dashboard command that rotates the signing key.</summary>
    public const string RotateKeyCommand = "rotate-signing-key";
}
