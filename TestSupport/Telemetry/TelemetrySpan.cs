namespace AspireResilience.TestSupport.Telemetry;

/// <summary>A span as the dashboard's telemetry API returns it (OTLP JSON), reduced to what tests read.</summary>
public sealed record TelemetrySpan(
    string Resource, string TraceId, string SpanId, string? ParentSpanId, string Name,
    DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, string> Attributes)
{
    public TimeSpan Duration => End - Start;

    /// <summary>The sending process's <c>service.instance.id</c> (which replica).</summary>
    public string Instance { get; init; } = "";

    /// <summary>The dashboard's name for the sending instance, as in <see cref="Hosting.ResourceInstance.TelemetryName"/>.</summary>
    public string TelemetryName => $"{Resource}-{Instance}";
}
