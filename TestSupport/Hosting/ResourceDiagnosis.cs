using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.AppHost.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.TestSupport.Hosting;

/// <summary>
/// What a failed wait says about an instance that did not become healthy: its state and health
/// reports as Aspire sees them, whether its own address answers (which tells a hung process from
/// DCP's proxy holding connections for a process it does not reach), and the end of its console
/// log. A CI run is read after the fact; the failure message is all there is.
/// </summary>
public static partial class ResourceDiagnosis
{
    private const int LogLines = 60;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LogReadTime = TimeSpan.FromSeconds(2);

    /// <summary>Describes every instance of <paramref name="resources"/> that is not healthy.</summary>
    public static async Task<string> DescribeUnhealthyAsync(DistributedApplication app, IReadOnlyCollection<string> resources)
    {
        // A new watcher is first told every instance's current state.
        var latest = new Dictionary<string, ResourceEvent>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource(LogReadTime);
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(stop.Token))
            {
                if (resources.Contains(e.Resource.Name)) latest[e.ResourceId] = e;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Every instance has been reported.
        }
        var text = new StringBuilder();
        foreach (var e in latest.Values.Where(e => e.Snapshot.HealthStatus != HealthStatus.Healthy).OrderBy(e => e.ResourceId, StringComparer.Ordinal))
        {
            text.Append(await DescribeAsync(app, e.Resource.Name, e.ResourceId));
        }
        return text.ToString();
    }

    /// <summary>Describes one instance (a replica's id, or the only instance's).</summary>
    public static async Task<string> DescribeAsync(DistributedApplication app, string resource, string instance)
    {
        var text = new StringBuilder();
        if (!app.ResourceNotifications.TryGetCurrentState(instance, out var state))
        {
            return $"no state for '{instance}'";
        }
        var snapshot = state.Snapshot;
        text.AppendLine($"'{instance}': state {snapshot.State?.Text}, health {snapshot.HealthStatus?.ToString() ?? "unknown"}, pid {KillCommand.Pid(snapshot)}");
        foreach (var report in snapshot.HealthReports)
        {
            text.AppendLine($"  health report {report.Name}: {report.Status} {report.Description} {FirstLine(report.ExceptionText)}");
        }
        if (snapshot.EnvironmentVariables.Any(e => e.Name == "ASPNETCORE_URLS"))
        {
            text.AppendLine($"  own address: {await ProbeOwnAddressAsync(ResourceInstance.Read(app, resource, instance).Address)}");
        }
        text.AppendLine($"  last {LogLines} console lines:");
        foreach (var line in await TailLogAsync(app, instance))
        {
            text.AppendLine($"    {line}");
        }
        if (Environment.GetEnvironmentVariable(DcpLogFolderVariable) is { Length: > 0 } folder)
        {
            text.AppendLine($"  what DCP did with it (last {DcpLineCount} lines of {folder}):");
            foreach (var line in DcpLines(folder, instance))
            {
                text.AppendLine($"    {line}");
            }
        }
        return text.ToString();
    }

    // test.sh points DCP's diagnostics log here: one set of files per AppHost the run starts.
    private const string DcpLogFolderVariable = "DCP_DIAGNOSTICS_LOG_FOLDER";
    private const int DcpLineCount = 30;
    private const int DcpLineChars = 400;

    // DCP's log streaming to Aspire says nothing about the process or its proxy.
    private const string LogStreamingLogger = "api-server.Logstorage";

    // Instance ids carry a random suffix, so the lines naming one are this AppHost's.
    private static IEnumerable<string> DcpLines(string folder, string instance)
    {
        try
        {
            return Directory.EnumerateFiles(folder, "*.log")
                .SelectMany(file =>
                {
                    // DCP still writes the file: read it shared.
                    using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    using var reader = new StreamReader(stream);
                    return reader.ReadToEnd().Split('\n').Where(line => line.Contains(instance, StringComparison.Ordinal) && !line.Contains(LogStreamingLogger, StringComparison.Ordinal)).ToList();
                })
                .OrderBy(Timestamp, StringComparer.Ordinal)
                .TakeLast(DcpLineCount)
                .Select(line => line.Length > DcpLineChars ? line[..DcpLineChars] + "…" : line)
                .ToList();
        }
        catch (IOException e)
        {
            return [$"(unreadable: {e.Message})"];
        }
    }

    // DCP writes JSON lines with an ISO-8601 "ts": ordinal order is time order.
    private static string Timestamp(string line)
    {
        var at = line.IndexOf("\"ts\":\"", StringComparison.Ordinal);
        return at < 0 ? "" : line[(at + 6)..Math.Min(line.Length, at + 36)];
    }

    private static async Task<string> ProbeOwnAddressAsync(Uri address)
    {
        using var http = new HttpClient { Timeout = ProbeTimeout };
        try
        {
            using var response = await http.GetAsync(new Uri(address, "/health"));
            return $"{address} /health answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"{address} /health: {e.GetType().Name} {e.Message} {e.InnerException?.Message}";
        }
    }

    // Aspire streams a process' console from its start to every new watcher; what arrives
    // within a moment is the backlog.
    private static async Task<IReadOnlyList<string>> TailLogAsync(DistributedApplication app, string instance)
    {
        var tail = new Queue<string>();
        using var stop = new CancellationTokenSource(LogReadTime);
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(instance).WithCancellation(stop.Token))
            {
                foreach (var line in batch)
                {
                    tail.Enqueue(AnsiEscape().Replace(line.Content, ""));
                    if (tail.Count > LogLines) tail.Dequeue();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The backlog has been read.
        }
        return [.. tail];
    }

    // The services log in colour (Aspire lets ANSI through redirection); a TRX message is plain text.
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    private static string FirstLine(string? text) => text?.Split('\n', 2)[0] ?? "";
}
