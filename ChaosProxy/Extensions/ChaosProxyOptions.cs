namespace AspireResilience.ChaosProxy.Extensions;

/// <summary>
/// The <c>ChaosProxy</c> configuration section. Proxies are declared as
/// <c>ChaosProxy:Proxies:{name}:Listen</c> and <c>ChaosProxy:Proxies:{name}:Upstream</c>
/// (environment: <c>ChaosProxy__Proxies__backend__Listen=127.0.0.1:5123</c>).
/// </summary>
public sealed class ChaosProxyOptions
{
    public const string SectionName = "ChaosProxy";

    public const int MinApiTokenLength = 16;

    /// <summary>Gets the proxies created at start-up, by name. Defaults to none.</summary>
    public Dictionary<string, ConfiguredProxyOptions> Proxies { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets how long connecting to an upstream may take before the client is reset. Defaults to 5 seconds.</summary>
    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the bearer token the control API requires (<c>Authorization: Bearer …</c>);
    /// the AppHost generates one per run. Required, at least 16 characters: without it the
    /// ChaosProxy does not start.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>Gets or sets the largest request body the control API accepts, in bytes. Defaults to 64 KiB.</summary>
    public long MaxRequestBodySize { get; set; } = 64 * 1024;
}
