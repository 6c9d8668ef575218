namespace AspireResilience.AuthService;

/// <summary>
/// Limits of <c>/connect/token</c>, bound from <c>Auth:RateLimits</c>: one fixed window per client
/// address (every grant) and one per username (password grants), so neither one address nor a
/// spread of addresses can guess a user's password at speed. Over a limit: 429 with <c>Retry-After</c>.
/// </summary>
public sealed class TokenRateLimitOptions
{
    /// <summary>Token requests one client address may make per <see cref="Window"/>. Defaults to 300.</summary>
    public int PerAddressPermitLimit { get; set; } = 300;

    /// <summary>Password grants one username may receive per <see cref="Window"/>, right or wrong. Defaults to 10.</summary>
    public int PerUsernamePermitLimit { get; set; } = 10;

    /// <summary>The fixed window both limits count in. Defaults to 10 s.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
