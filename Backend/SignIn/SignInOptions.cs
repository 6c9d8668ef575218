namespace AspireResilience.Backend.SignIn;

/// <summary>The chat page's same-origin sign-in, forwarded to the AuthService. Section <c>SignIn</c>.</summary>
public sealed class SignInOptions
{
    /// <summary>The AuthService's token endpoint, found by service discovery. Defaults to <c>http://authservice/connect/token</c>.</summary>
    public Uri TokenEndpoint { get; set; } = new("http://authservice/connect/token");

    /// <summary>Largest form body forwarded, in bytes (the AuthService's own limit). Defaults to 8 KiB.</summary>
    public int MaxBodyBytes { get; set; } = 8 * 1024;
}
