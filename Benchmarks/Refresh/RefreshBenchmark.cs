using System.Globalization;
using System.Text;
using AspireResilience.Benchmarks.Hosting;
using AspireResilience.Client;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Refresh;

/// <summary>
/// In-band token refresh on one live session against the real AppHost: each sample is one
/// <see cref="ResilientSession.RefreshTokenAsync"/> (a refresh-token grant at the AuthService, then
/// <c>refresh</c> → <c>refreshed</c> on the socket), timed by the client's <c>client.token.refresh</c>
/// span (the in-band part) and the Backend's <c>token.refresh</c> span (validation and answer).
/// DESIGN §10's goal: p99 &lt; 10 ms, zero disconnects in 1,000.
/// </summary>
internal sealed class RefreshBenchmark : IBenchmark
{
    // Under the gateway's 50 client frames per second: the benchmark measures refreshes, not the flood limit.
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(25);

    public string Verb => "refresh";

    public string Description => "In-band token refresh latency and disconnects on a live session (client and backend spans). Options: --count N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = BenchmarkArgs.Int(args, "--count", 1000);
        await using var env = await BenchmarkEnvironment.StartAsync("benchrefresh", replicas: 1, users: 1, cancellationToken);
        // The Backend's own address: ChaosProxy is the suites' fault-injection hop, not part of
        // the path a refresh takes in production, and its copy loop would be measured too.
        var result = await RefreshRun.MeasureAsync(env, env.BackendReplicaWebSockets[0], count, Pace, cancellationToken);
        await BenchmarkReport.PublishAsync("refresh.md", Render(result, count), cancellationToken);
        return result.Passed ? 0 : 1;
    }

    private static string Render(RefreshResult result, int count)
    {
        var rows = new List<(string Name, LongHistogram Histogram)>
        {
            ("client: refresh sent → refreshed received (client.token.refresh)", result.Client),
            ("backend: validate + answer (token.refresh)", result.Backend),
        };
        return Render(rows, count, result.Confirmed, result.Disconnects, result.Rejected);
    }

    private static string Render(List<(string Name, LongHistogram Histogram)> rows, int count, long refreshes, int disconnects, int rejected)
    {
        static string Ms(long micros) => (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .AppendLine("# In-band token refresh (real AppHost, spans)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkReport.MachineLine()}.")
            .AppendLine(CultureInfo.InvariantCulture, $"{count} refreshes on one live session (after 20 warm-up), one every {Pace.TotalMilliseconds} ms at most; each preceded by a refresh-token grant at the AuthService, which the spans do not include.")
            .AppendLine()
            .AppendLine("| span | n | p50 ms | p90 ms | p99 ms | max ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {h.TotalCount} | {Ms(h.GetValueAtPercentile(50))} | {Ms(h.GetValueAtPercentile(90))} | {Ms(h.GetValueAtPercentile(99))} | {Ms(h.GetMaxValue())} |");
        }
        return text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Refreshes confirmed by the client: {refreshes}; rejected: {rejected}; disconnects: **{disconnects}**.")
            .AppendLine("Goal (DESIGN §10): p99 < 10 ms, zero disconnects in 1,000.")
            .ToString();
    }
}
