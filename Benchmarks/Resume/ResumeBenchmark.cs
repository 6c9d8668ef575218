using System.Diagnostics;
using System.Globalization;
using System.Text;
using AspireResilience.Benchmarks.Hosting;
using AspireResilience.Client.Tokens;
using AspireResilience.Contracts;
using HdrHistogram;

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
        var cycles = BenchmarkArgs.Int(args, "--cycles", 300);
        var restarts = BenchmarkArgs.Int(args, "--restarts", 5);
        var started = Stopwatch.GetTimestamp();
        // The restart rows measure the one process coming back.
        await using var env = await BenchmarkEnvironment.StartAsync("bench", replicas: 1, users: 1, cancellationToken);
        var startup = Stopwatch.GetElapsedTime(started);
        var (user, password) = env.Users.Next();
        var tokens = new UserTokens(env.Tokens, user, password);
        var run = new ResumeRun(env, tokens, env.BackendWebSocketDirect);

        var rows = new List<(string Name, LongHistogram Histogram)>();
        Console.Error.WriteLine($"fresh connects and resumes: {cycles} each...");
        rows.Add(("fresh connect (baseline, direct)", await run.FreshConnectsAsync(cycles, cancellationToken)));
        rows.Add(("resume, backend alive, direct, no jitter", await run.ResumesAsync(env.BackendWebSocketDirect, TimeSpan.Zero, cycles, cancellationToken)));
        rows.Add(("resume, backend alive, via ChaosProxy, no jitter", await run.ResumesAsync(env.BackendWebSocket, TimeSpan.Zero, cycles, cancellationToken)));
        rows.Add(("resume, backend alive, direct, default jitter (≤100 ms)", await run.ResumesAsync(env.BackendWebSocketDirect, TimeSpan.FromMilliseconds(100), cycles, cancellationToken)));
        Console.Error.WriteLine($"graceful restarts and kills: {restarts} each...");
        rows.Add(("resume after graceful backend restart", await run.AfterFaultAsync(restarts, () => env.Faults.RestartAsync(ResourceNames.Backend), cancellationToken)));
        rows.Add(("resume after backend SIGKILL + start", await run.AfterFaultAsync(restarts, async () =>
            await env.Faults.StartAsync(ResourceNames.Backend, await env.Faults.KillAsync(ResourceNames.Backend)), cancellationToken)));

        await BenchmarkReport.PublishAsync("resume.md", Render(rows, startup), cancellationToken);
        return 0;
    }

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

}
