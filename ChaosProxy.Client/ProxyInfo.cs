using System.Globalization;

namespace AspireResilience.ChaosProxy.Client;

/// <summary>A proxy as the API shows it.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Listen">Listen address, <c>ip:port</c>, with the port actually bound.</param>
/// <param name="Upstream">Upstream, <c>host:port</c>.</param>
/// <param name="Enabled">False when the proxy is down (not listening, no connections).</param>
/// <param name="Toxics">Its toxics, in chain order.</param>
/// <param name="Connections">Connections open now.</param>
/// <param name="Bytes">Bytes delivered so far.</param>
public sealed record ProxyInfo(
    string Name,
    string Listen,
    string Upstream,
    bool Enabled,
    IReadOnlyList<Toxic> Toxics,
    int Connections,
    ProxyBytes Bytes)
{
    /// <summary>Gets the port of <see cref="Listen"/>.</summary>
    public int ListenPort => int.Parse(Listen.AsSpan(Listen.LastIndexOf(':') + 1), CultureInfo.InvariantCulture);
}
