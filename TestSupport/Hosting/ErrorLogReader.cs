using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.TestSupport.Telemetry;

namespace AspireResilience.TestSupport.Hosting;

/// <summary>
/// Reads the error logs the services sent to the dashboard, each exactly once and with nothing
/// left behind. Logs are exported in batches, so "read at once" misses what a service logged in
/// the last moments. Instead each read first leaves a marker in every service's log — a request
/// to <c>/alive</c> under a fresh trace id, which ASP.NET Core's hosting log records — and waits
/// until the dashboard shows it: a service's exporter sends its records in order, so every
/// record logged before the marker has then arrived. The read covers exactly the interval since
/// the previous marker. It fails closed: a service whose marker never shows (a wrong name, a
/// dead exporter) fails the read instead of passing as "no errors".
/// </summary>
/// <param name="telemetry">The dashboard the services export to.</param>
/// <param name="instances">
/// Every instance whose log is read — each replica of each service, reached at its own address —
/// looked up at each read: a restarted replica comes back on another port.
/// </param>
/// <param name="markerTimeout">How long a marker may take to show before the read fails (default 20 s).</param>
public sealed class ErrorLogReader(DashboardTelemetry telemetry, Func<IReadOnlyList<ResourceInstance>> instances, TimeSpan? markerTimeout = null)
    : IDisposable
{
    private const string HostingLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private readonly TimeSpan _markerTimeout = markerTimeout ?? TimeSpan.FromSeconds(20);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<string, DateTimeOffset> _readUpTo = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Makes <paramref name="service"/> log each request (the marker) and export its telemetry
    /// every 100 ms instead of every second, so a read waits a fraction of a second.
    /// </summary>
    public static void EnableMarkers(IResourceBuilder<ProjectResource> service) => service
        .WithEnvironment($"Logging__LogLevel__{HostingLogCategory}", "Information")
        .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "100")
        .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "100");

    /// <summary>Every error or critical record logged since the previous read, up to a marker left now.</summary>
    public async Task<IReadOnlyList<TelemetryLog>> ReadNewErrorsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var reads = await Task.WhenAll(instances().Select(i => ReadInstanceAsync(i, cancellationToken)));
            return [.. reads.SelectMany(r => r)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One line per record, for an assertion message.</summary>
    public static string Describe(IEnumerable<TelemetryLog> logs) =>
        string.Join(" | ", logs.Select(l => $"{l.Resource} {l.Category}: {l.Message}{(l.Exception is null ? "" : $" ({l.Exception})")}"));

    private async Task<IReadOnlyList<TelemetryLog>> ReadInstanceAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var marker = await LeaveMarkerAsync(instance, cancellationToken);
        var errors = await telemetry.GetLogsAsync(instance.TelemetryName, "Error", traceId: null, cancellationToken)
            ?? throw new InvalidOperationException($"the dashboard no longer knows '{instance.TelemetryName}'");
        DateTimeOffset since;
        lock (_readUpTo)
        {
            since = _readUpTo.GetValueOrDefault(instance.Id, DateTimeOffset.MinValue);
            _readUpTo[instance.Id] = marker;
        }
        return [.. errors.Where(e => e.Time > since && e.Time <= marker)];
    }

    /// <summary>Logs a marker in <paramref name="instance"/> and returns its timestamp once the dashboard has it.</summary>
    private async Task<DateTimeOffset> LeaveMarkerAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(instance.Address, "/alive")))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-00");
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
            catch (HttpRequestException ex)
            {
                throw new InvalidOperationException(
                    $"'{instance.Id}' did not answer its log marker at {instance.Address} ({ex.Message}): its errors cannot be read. "
                    + "A test that stops an instance must start it again before it ends.", ex);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_markerTimeout);
        try
        {
            while (true)
            {
                var logs = await telemetry.GetLogsAsync(instance.TelemetryName, "Information", traceId, timeout.Token);
                if (logs?.FirstOrDefault(l => l.Category == HostingLogCategory) is { } found) return found.Time;
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"'{instance.TelemetryName}' did not show its log marker in the dashboard within {_markerTimeout.TotalSeconds:F0} s: "
                + "its errors cannot be read (unknown resource, or its log exporter is not running)");
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
