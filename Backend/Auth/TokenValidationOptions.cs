namespace AspireResilience.Backend.Auth;

/// <summary>How the backend checks access tokens. Section <c>Auth</c>.</summary>
public sealed class TokenValidationOptions
{
    /// <summary>Expected <c>iss</c>. Defaults to <c>aspire-resilience-auth</c>.</summary>
    public string Issuer { get; set; } = "aspire-resilience-auth";

    /// <summary>Expected <c>aud</c>. Defaults to <c>aspire-resilience-backend</c>.</summary>
    public string Audience { get; set; } = "aspire-resilience-backend";

    /// <summary>
    /// Where the signing keys are, found by service discovery. Must be <c>https://</c> outside
    /// Development (the start-up refuses anything else). Defaults to
    /// <c>https://authservice/.well-known/jwks.json</c>; appsettings.Development.json uses <c>http://</c>.
    /// </summary>
    public Uri JwksUri { get; set; } = new("https://authservice/.well-known/jwks.json");

    /// <summary>Tolerated clock difference for <c>exp</c>/<c>nbf</c>. Seconds, not the library's 5 minutes. Defaults to 5 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Least time between two JWKS fetches caused by an unknown <c>kid</c>. Defaults to 5 s.</summary>
    public TimeSpan JwksRefetchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Shortest time a fetched JWKS is kept, whatever its max-age says; also the retry delay after a failed read. Defaults to 1 s.</summary>
    public TimeSpan JwksMinRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time a fetched JWKS is kept (also when it has no max-age). Defaults to 10 min.</summary>
    public TimeSpan JwksMaxRefresh { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often a live connection re-checks its token against the revocation list, in case a
    /// revocation's pub/sub message was lost (Redis reconnecting). Defaults to 1 s.
    /// </summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest token accepted, in characters. Defaults to 4096.</summary>
    public int MaxTokenLength { get; set; } = 4096;
}
