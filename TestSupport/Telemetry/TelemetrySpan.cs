namespace AspireResilience.TestSupport.Telemetry;

/// <summary>A span as the dashboard's telemetry API returns it (OTLP JSON), reduced to what tests read.</summary>
public sealed record TelemetrySpan(
    string Resource, string TraceId, string SpanId, string? ParentSpanId, string Name,
    DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, string> Attributes)
{
    public TimeSpan Duration => End - Start;
}
