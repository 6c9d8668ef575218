using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AspireResilience.Backend.Telemetry;

/// <summary>The backend's spans and metrics (DESIGN.md §8).</summary>
public static class BackendTelemetry
{
    public const string Name = "AspireResilience.Backend";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly UpDownCounter<long> ActiveConnections =
        Meter.CreateUpDownCounter<long>("resilience.connections.active", description: "Open WebSocket connections.");
    public static readonly Counter<long> Resumes =
        Meter.CreateCounter<long>("resilience.sessions.resumes", description: "Resume attempts, tagged by outcome.");
    public static readonly Histogram<double> ResumeDuration =
        Meter.CreateHistogram<double>("resilience.sessions.resume.duration", unit: "ms", description: "Time from hello to welcome on a resume.");
    public static readonly Counter<long> ReplayedEvents =
        Meter.CreateCounter<long>("resilience.events.replayed", description: "Events re-sent on resume.");
    public static readonly Counter<long> EvictedSessions =
        Meter.CreateCounter<long>("resilience.sessions.evicted", description: "Sessions evicted by their user's session cap.");
    public static readonly Counter<long> Closes =
        Meter.CreateCounter<long>("resilience.connections.closes", description: "Closes, tagged by code.");
}
