using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.Client;
using HdrHistogram;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.Benchmarks.Resume;

/// <summary>
/// Disconnect → resumed against the real AppHost, timed by the client's own spans
/// (<c>client.reconnect</c>; the baseline is <c>client.connect</c> of a fresh session, measured in
/// the same run): backend alive (direct and through ChaosProxy; with the reconnect jitter off to
/// see the mechanism's cost, and on as users get it), graceful backend restart, SIGKILL + start.
/// </summary>
internal sealed class ResumeBenchmark : IBenchmark
{
    public string Verb => "resume";

    public string Description => "Disconnect → resumed latency against the real AppHost (from client spans). Options: --cycles N --restarts N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var cycles = ReadOption(args, "--cycles", 300);
        var restarts = ReadOption(args, "--restarts", 5);
        Console.Error.WriteLine("starting the AppHost...");
        var started = Stopwatch.GetTimestamp();
        await using var env = await ResumeEnvironment.StartAsync(cancellationToken);
        var startup = Stopwatch.GetElapsedTime(started);
        using var spans = new SpanDurations();

        var rows = new List<(string Name, LongHistogram Histogram)>();
        Console.Error.WriteLine($"fresh connects and resumes: {cycles} each...");
        rows.Add(("fresh connect (baseline, direct)", await FreshConnectsAsync(env, spans, cycles, cancellationToken)));
        rows.Add(("resume, backend alive, direct, no jitter", await ResumesAsync(env, spans, env.Direct, TimeSpan.Zero, cycles, cancellationToken)));
        rows.Add(("resume, backend alive, via ChaosProxy, no jitter", await ResumesAsync(env, spans, env.ThroughChaosProxy, TimeSpan.Zero, cycles, cancellationToken)));
        rows.Add(("resume, backend alive, direct, default jitter (≤100 ms)", await ResumesAsync(env, spans, env.Direct, TimeSpan.FromMilliseconds(100), cycles, cancellationToken)));
        Console.Error.WriteLine($"graceful restarts and kills: {restarts} each...");
        rows.Add(("resume after graceful backend restart", await AfterFaultAsync(env, spans, restarts, RestartAsync, cancellationToken)));
        rows.Add(("resume after backend SIGKILL + start", await AfterFaultAsync(env, spans, restarts, KillAndStartAsync, cancellationToken)));

        await BenchmarkReport.PublishAsync("resume.md", Render(rows, startup), cancellationToken);
        return 0;
    }

    private static async Task<LongHistogram> FreshConnectsAsync(ResumeEnvironment env, SpanDurations spans, int count, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        var options = Options(env, env.Direct, TimeSpan.Zero);
        for (var i = -20; i < count; i++) // the first 20 warm up
        {
            spans.Clear();
            await using var session = await ResilientSession.ConnectAsync(options, cancellationToken);
            var duration = spans.Take("client.connect", cancellationToken);
            if (i >= 0) Record(histogram, duration);
        }
        return histogram;
    }

    private static async Task<LongHistogram> ResumesAsync(ResumeEnvironment env, SpanDurations spans, Uri endpoint, TimeSpan jitter, int count, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        await using var session = await ResilientSession.ConnectAsync(Options(env, endpoint, jitter), cancellationToken);
        await NextWelcomeAsync(session, cancellationToken);
        for (var i = -20; i < count; i++)
        {
            spans.Clear();
            session.AbortConnection();
            await NextWelcomeAsync(session, cancellationToken);
            var duration = spans.Take("client.reconnect", cancellationToken);
            if (i >= 0) Record(histogram, duration);
        }
        return histogram;
    }

    private static async Task<LongHistogram> AfterFaultAsync(ResumeEnvironment env, SpanDurations spans, int count,
        Func<DistributedApplication, CancellationToken, Task> fault, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        await using var session = await ResilientSession.ConnectAsync(Options(env, env.Direct, TimeSpan.FromMilliseconds(100)), cancellationToken);
        await NextWelcomeAsync(session, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            spans.Clear();
            await fault(env.App, cancellationToken);
            await NextWelcomeAsync(session, cancellationToken);
            Record(histogram, spans.Take("client.reconnect", cancellationToken));
        }
        return histogram;
    }

    private static Task RestartAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        app.ResourceCommands.ExecuteCommandAsync("backend", KnownResourceCommands.RestartCommand, cancellationToken);

    private static async Task KillAndStartAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var pid = await PidAsync(app, cancellationToken);
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
        }
        await app.ResourceNotifications.WaitForResourceAsync("backend", e => e.Snapshot.State?.Text != KnownResourceStates.Running, cancellationToken);
        await app.ResourceCommands.ExecuteCommandAsync("backend", KnownResourceCommands.StartCommand, cancellationToken);
        await app.ResourceNotifications.WaitForResourceAsync("backend",
            e => e.Snapshot.HealthStatus == HealthStatus.Healthy && Pid(e.Snapshot) is { } p && p != pid, cancellationToken);
    }

    private static async Task<int> PidAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        Pid((await app.ResourceNotifications.WaitForResourceAsync("backend", e => Pid(e.Snapshot) is not null, cancellationToken)).Snapshot)!.Value;

    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;

    private static async Task NextWelcomeAsync(ResilientSession session, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await session.ConnectionEvents.ReadAsync(timeout.Token) is not Welcomed)
        {
        }
    }

    private static ResilientSessionOptions Options(ResumeEnvironment env, Uri endpoint, TimeSpan jitter) => new()
    {
        Endpoint = endpoint,
        AccessTokenProvider = env.TokenAsync,
        ReconnectBaseDelay = jitter,
    };

    private static LongHistogram NewHistogram() => new(TimeStamp.Minutes(10), 3);

    private static void Record(LongHistogram histogram, TimeSpan duration) => histogram.RecordValue(Math.Max(1, duration.Ticks / 10)); // µs

    private static string Render(List<(string Name, LongHistogram Histogram)> rows, TimeSpan startup)
    {
        static string Ms(long micros) => (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .AppendLine("# Disconnect → resumed (real AppHost, client spans)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkReport.MachineLine()}. AppHost start to all resources healthy: {startup.TotalSeconds:F1} s.")
            .AppendLine("Each figure is the duration of the client's `client.reconnect` span (drop noticed → `welcome` received), or `client.connect` for the baseline.")
            .AppendLine()
            .AppendLine("| scenario | n | p50 ms | p90 ms | p99 ms | max ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {h.TotalCount} | {Ms(h.GetValueAtPercentile(50))} | {Ms(h.GetValueAtPercentile(90))} | {Ms(h.GetValueAtPercentile(99))} | {Ms(h.GetMaxValue())} |");
        }
        var baseline = rows[0].Histogram.GetValueAtPercentile(50);
        var resume = rows[1].Histogram.GetValueAtPercentile(50);
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Resume (no jitter, direct) p50 / fresh connect p50: {(double)resume / baseline:F2}.");
        return text.ToString();
    }

    private static int ReadOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
