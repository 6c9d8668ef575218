namespace AspireResilience.TestSupport.Telemetry;

/// <summary>A log record from the dashboard, reduced to what the error check reads.</summary>
public sealed record TelemetryLog(string Resource, DateTimeOffset Time, string Severity, string Category, string Message, string? TraceId);
