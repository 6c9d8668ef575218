using AspireResilience.ChaosProxy.Telemetry;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>What every proxy and connection shares: clock, randomness, telemetry, logging and limits.</summary>
/// <param name="TimeProvider">The clock of every toxic delay.</param>
/// <param name="Randomizer">Returns a number in [0, 1); injected so tests are deterministic.</param>
/// <param name="Telemetry">Spans and metrics.</param>
/// <param name="LoggerFactory">Logging.</param>
/// <param name="UpstreamConnectTimeout">How long a connection to the upstream may take.</param>
internal sealed record ProxyEnvironment(
    TimeProvider TimeProvider,
    Func<double> Randomizer,
    ChaosProxyTelemetry Telemetry,
    ILoggerFactory LoggerFactory,
    TimeSpan UpstreamConnectTimeout)
{
    /// <summary>How long a graceful close waits for the peers' FIN before closing the sockets anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
