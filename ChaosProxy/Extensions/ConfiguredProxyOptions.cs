namespace AspireResilience.ChaosProxy.Extensions;

/// <summary>One proxy declared in configuration under <c>ChaosProxy:Proxies:{name}</c>.</summary>
public sealed class ConfiguredProxyOptions
{
    /// <summary>Gets or sets the listen address, <c>ip:port</c> or a bare port (on 127.0.0.1); port 0 picks a free one. Defaults to <c>127.0.0.1:0</c>.</summary>
    public string Listen { get; set; } = "127.0.0.1:0";

    /// <summary>Gets or sets the upstream, <c>host:port</c>; a host name is resolved per connection. Required.</summary>
    public string? Upstream { get; set; }

    /// <summary>Gets or sets whether the proxy listens from the start. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;
}
