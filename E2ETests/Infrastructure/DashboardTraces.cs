using System.Text.Json;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>A span as the dashboard's telemetry API returns it (OTLP JSON), reduced to what tests read.</summary>
public sealed record TelemetrySpan(
    string Resource, string TraceId, string SpanId, string? ParentSpanId, string Name,
    DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, string> Attributes)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>
/// Reads the services' spans from the Aspire dashboard's telemetry HTTP API — the same
/// dashboard a developer inspects on F5 — so the suite's timings come from real traces.
/// </summary>
public sealed class DashboardTraces(HttpClient dashboard)
{
    /// <summary>Polls the dashboard until a span named <paramref name="name"/> matches: telemetry arrives asynchronously (batch export ~1 s).</summary>
    public async Task<TelemetrySpan> WaitForSpanAsync(string resource, string? traceId, string name, TimeSpan timeout, Func<TelemetrySpan, bool>? match = null)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var spans = await GetSpansAsync(resource, traceId, cancel.Token);
            if (spans.FirstOrDefault(s => s.Name == name && (match is null || match(s))) is { } span) return span;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancel.Token);
        }
    }

    public async Task<IReadOnlyList<TelemetrySpan>> GetSpansAsync(string resource, string? traceId, CancellationToken cancellationToken)
    {
        var url = $"/api/telemetry/spans?limit=5000&resource={Uri.EscapeDataString(resource)}"
            + (traceId is null ? "" : $"&traceId={Uri.EscapeDataString(traceId)}");
        using var response = await dashboard.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return OtlpJson.ReadSpans(document.RootElement).ToArray();
    }

    /// <summary>Error and critical log records a resource sent since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<TelemetryLog>> GetErrorLogsAsync(string resource, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var url = $"/api/telemetry/logs?limit=5000&severity=Error&resource={Uri.EscapeDataString(resource)}";
        using var response = await dashboard.GetAsync(url, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return []; // the resource has sent nothing yet
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return OtlpJson.ReadLogs(document.RootElement).Where(l => l.Time >= since).ToArray();
    }
}

/// <summary>A log record from the dashboard, reduced to what the no-errors check reads.</summary>
public sealed record TelemetryLog(string Resource, DateTimeOffset Time, string Severity, string Category, string Message);
