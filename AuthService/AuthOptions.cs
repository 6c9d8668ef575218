namespace AspireResilience.AuthService;

/// <summary>Settings of the token service, bound from the <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The <c>iss</c> claim of every access token. Defaults to <c>aspire-resilience-auth</c>.</summary>
    public string Issuer { get; set; } = "aspire-resilience-auth";

    /// <summary>The <c>aud</c> claim of every access token. Defaults to <c>aspire-resilience-backend</c>.</summary>
    public string Audience { get; set; } = "aspire-resilience-backend";

    /// <summary>How long an access token is valid. Defaults to 5 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a refresh token is valid; each rotation issues a new token with a full lifetime.
    /// Defaults to 1 day.
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long after a refresh token's rotation the same token may be presented again while its
    /// successor is still unused (the answer carrying it was lost: an AuthService restart, a
    /// dropped connection): it is rotated again instead of ending the family as reuse. Zero turns
    /// the grace off (every second use is reuse). Defaults to 60 s, enough for an AuthService restart
    /// (up to 18 s in the chaos soak) plus a client's request timeout; at most 5 minutes.
    /// </summary>
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Absolute lifetime of a refresh-token family, counted from the password login: rotation
    /// slides each token's lifetime but never past this, so a stolen family cannot be kept alive
    /// forever by using it. Defaults to 7 days.
    /// </summary>
    public TimeSpan RefreshFamilyLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// <c>Cache-Control: max-age</c> of the JWKS: verifiers re-read the set at least this often, so
    /// a key dropped by a rotation stops being trusted within it. Defaults to 60 s.
    /// </summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Limits of <c>/connect/token</c>.</summary>
    public TokenRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>
    /// Directory holding the RSA signing keys (PKCS#8 PEM, owner-only permissions).
    /// Defaults to <c>&lt;ContentRoot&gt;/.keys</c> when empty.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>Maps <c>POST /admin/rotate-key</c>; leave off outside tests. Defaults to <c>false</c>.</summary>
    public bool EnableAdminApi { get; set; }

    /// <summary>
    /// Demo users, username → password (e.g. <c>Auth__Users__alice=secret</c>).
    /// Defaults to none; appsettings.Development.json ships two demo users, whose passwords stop
    /// the start-up in any other environment (<see cref="Users.DemoUsers"/>).
    /// </summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);
}
