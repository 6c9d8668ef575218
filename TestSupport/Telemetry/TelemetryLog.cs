namespace AspireResilience.TestSupport.Telemetry;

/// <summary>A log record from the dashboard, reduced to what the error check reads.</summary>
/// <param name="Exception">The logged exception's type and message (<c>exception.type</c>, <c>exception.message</c>), if one was logged.</param>
public sealed record TelemetryLog(string Resource, DateTimeOffset Time, string Severity, string Category, string Message, string? TraceId,
    string? Exception = null);
