namespace AspireResilience.Contracts;

/// <summary>The AuthService's admin API (mapped only with <c>Auth:EnableAdminApi</c>) and the dashboard command that calls it.</summary>
public static class AuthAdminApi
{
    /// <summary><c>POST</c>: a new current signing key; the old one stays in the JWKS as the previous key.</summary>
    public const string RotateKeyPath = "/admin/rotate-key";

    /// <summary>The AuthService resource's dashboard command that rotates the signing key.</summary>
    public const string RotateKeyCommand = "rotate-signing-key";
}
