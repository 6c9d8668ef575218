using System.Net;
using System.Text.Json;

namespace AspireResilience.TestSupport.Telemetry;

/// <summary>
/// Reads the services' spans and logs from the Aspire dashboard's telemetry HTTP API — the same
/// dashboard a developer inspects on F5 — so the suite's timings come from real traces.
/// </summary>
public sealed class DashboardTelemetry(HttpClient dashboard)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls the dashboard until a span named <paramref name="name"/> matches: telemetry arrives asynchronously (batched export).</summary>
    public Task<TelemetrySpan> WaitForSpanAsync(string resource, string? traceId, string name, TimeSpan timeout, Func<TelemetrySpan, bool>? match = null) =>
        WaitForMatchAsync(resource, traceId, s => s.Name == name && (match is null || match(s)), timeout);

    /// <summary>Polls the dashboard until at least <paramref name="count"/> spans named <paramref name="name"/> match; returns every match, oldest first.</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> WaitForSpansAsync(string resource, string? traceId, string name, int count, TimeSpan timeout,
        Func<TelemetrySpan, bool> match)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var spans = (await GetSpansAsync(resource, traceId, cancel.Token)).Where(s => s.Name == name && match(s)).OrderBy(s => s.Start).ToArray();
            if (spans.Length >= count) return spans;
            await Task.Delay(PollInterval, cancel.Token);
        }
    }

    /// <summary>
    /// Waits for the Backend's span of the runner that wrote a run's last event: <c>agent.run</c>,
    /// or <c>agent.run.recover</c> when another runner adopted it. A runner that stopped because it
    /// lost the lease (<c>agent.run.abandoned</c>) did not finish the run.
    /// </summary>
    public Task<TelemetrySpan> WaitForRunEndAsync(string sessionId, string runId, TimeSpan? timeout = null) =>
        WaitForMatchAsync(Contracts.ResourceNames.Backend, null, s => s.Name is "agent.run" or "agent.run.recover"
            && s.Attributes.GetValueOrDefault("session.id") == sessionId && s.Attributes.GetValueOrDefault("agent.run.id") == runId
            && !s.Attributes.ContainsKey("agent.run.abandoned"), timeout ?? Timeouts.Telemetry);

    private async Task<TelemetrySpan> WaitForMatchAsync(string resource, string? traceId, Func<TelemetrySpan, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var spans = await GetSpansAsync(resource, traceId, cancel.Token);
            if (spans.FirstOrDefault(match) is { } span) return span;
            await Task.Delay(PollInterval, cancel.Token);
        }
    }

    /// <summary>Polls the dashboard until one instance (by its telemetry name) has sent a log record at <paramref name="minimumSeverity"/> or above that matches.</summary>
    public async Task<TelemetryLog> WaitForLogAsync(string telemetryName, string minimumSeverity, TimeSpan timeout, Func<TelemetryLog, bool> match)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var logs = await GetLogsAsync(telemetryName, minimumSeverity, traceId: null, cancel.Token);
            if (logs?.FirstOrDefault(match) is { } log) return log;
            await Task.Delay(PollInterval, cancel.Token);
        }
    }

    /// <summary>
    /// The spans of every instance of <paramref name="resource"/> (a model name: all its replicas),
    /// of one trace if given; empty while it has sent none.
    /// </summary>
    public async Task<IReadOnlyList<TelemetrySpan>> GetSpansAsync(string resource, string? traceId, CancellationToken cancellationToken)
    {
        var instances = await TelemetryNamesAsync(resource, cancellationToken);
        if (instances.Count == 0) return [];
        using var document = await GetAsync("spans", instances, traceId is null ? "" : $"&traceId={traceId}", cancellationToken);
        return document is null ? [] : OtlpJson.ReadSpans(document.RootElement).ToArray();
    }

    /// <summary>The dashboard's names for the instances of <paramref name="resource"/> that have sent telemetry.</summary>
    public async Task<IReadOnlyList<string>> TelemetryNamesAsync(string resource, CancellationToken cancellationToken)
    {
        using var response = await dashboard.GetAsync("/api/telemetry/resources", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return [.. document.RootElement.EnumerateArray()
            .Where(r => r.GetProperty("name").GetString() == resource)
            .Select(r => r.GetProperty("displayName").GetString()!)];
    }

    /// <summary>
    /// The log records of one instance (by its <see cref="Hosting.ResourceInstance.TelemetryName"/>) at
    /// <paramref name="minimumSeverity"/> or above (of one trace, if given), oldest first; null when the
    /// dashboard knows no such instance (it has sent nothing yet, or the name is wrong).
    /// </summary>
    public async Task<IReadOnlyList<TelemetryLog>?> GetLogsAsync(string telemetryName, string minimumSeverity, string? traceId, CancellationToken cancellationToken)
    {
        using var document = await GetAsync("logs", [telemetryName],
            $"&severity={minimumSeverity}" + (traceId is null ? "" : $"&traceId={traceId}"), cancellationToken);
        return document is null ? null : OtlpJson.ReadLogs(document.RootElement).OrderBy(l => l.Time).ToArray();
    }

    private async Task<JsonDocument?> GetAsync(string kind, IEnumerable<string> resources, string query, CancellationToken cancellationToken)
    {
        var url = $"/api/telemetry/{kind}?limit=10000{string.Concat(resources.Select(r => "&resource=" + Uri.EscapeDataString(r)))}{query}";
        using var response = await dashboard.GetAsync(url, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }
}
