using System.Globalization;
using System.Text;
using AspireResilience.Benchmarks.Hosting;
using AspireResilience.Client;
using AspireResilience.Client.Tokens;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Failover;

/// <summary>
/// Fault → resumed for many live sessions at once, against the real AppHost: a Backend replica
/// SIGKILLed or gracefully restarted (2 replicas; clients through DCP's proxy, or straight to the
/// replicas with the other as alternate), and the single Backend process SIGKILLed or restarted.
/// Per dropped session: from the fault (just before the kill or the restart command) to the end
/// of its <c>client.reconnect</c> span.
/// </summary>
internal sealed class FailoverBenchmark : IBenchmark
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    public string Verb => "failover";

    public string Description => "Fault → resumed for many sessions: replica kill/restart (2 replicas), process kill/restart (1). Options: --sessions N --faults N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sessions = BenchmarkArgs.Int(args, "--sessions", 60);
        var faults = BenchmarkArgs.Int(args, "--faults", 4);
        var rows = new List<(string Name, LongHistogram Histogram, string Notes)>();

        await using (var env = await StartAsync(replicas: 2, sessions * 3 * faults, cancellationToken))
        {
            // A restarted replica comes back on another port: each fault's fleet reads the addresses anew.
            List<ResilientSessionOptions> ToReplicas()
            {
                var replicas = env.BackendReplicaWebSockets;
                return Options(env, sessions, i => (replicas[i % 2], [replicas[(i + 1) % 2]]));
            }
            rows.Add(await MeasureAsync("SIGKILL 1 of 2 replicas, clients via DCP's proxy", env, faults, cancellationToken,
                () => Options(env, sessions, _ => (env.BackendWebSocketDirect, [])), KillAndStartAsync));
            rows.Add(await MeasureAsync("SIGKILL 1 of 2 replicas, clients to the replicas (other as alternate)", env, faults, cancellationToken,
                ToReplicas, KillAndStartAsync));
            rows.Add(await MeasureAsync("graceful restart of 1 of 2 replicas, clients to the replicas", env, faults, cancellationToken,
                ToReplicas, RestartAsync));
        }
        await using (var env = await StartAsync(replicas: 1, sessions * faults, cancellationToken))
        {
            rows.Add(await MeasureAsync("SIGKILL + start of the only Backend process", env, faults, cancellationToken,
                () => Options(env, sessions / 2, _ => (env.BackendWebSocketDirect, [])), KillAndStartAsync));
            rows.Add(await MeasureAsync("graceful restart of the only Backend process", env, faults, cancellationToken,
                () => Options(env, sessions / 2, _ => (env.BackendWebSocketDirect, [])), RestartAsync));
        }

        await BenchmarkReport.PublishAsync("failover.md", Render(rows, sessions, faults), cancellationToken);
        return 0;
    }

    private static Task<TestEnvironment> StartAsync(int replicas, int users, CancellationToken cancellationToken) =>
        BenchmarkEnvironment.StartAsync($"bench-failover-{replicas}", replicas, users, cancellationToken);

    internal static List<ResilientSessionOptions> Options(TestEnvironment env, int count, Func<int, (Uri Endpoint, Uri[] Alternates)> route) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var (user, password) = env.Users.Next();
            var (endpoint, alternates) = route(i);
            return new ResilientSessionOptions
            {
                Endpoint = endpoint,
                AlternateEndpoints = alternates,
                AccessTokenProvider = new UserTokens(env.Tokens, user, password).GetAsync,
            };
        })];

    /// <summary>Runs <paramref name="faults"/> faults, alternating between instances, each on a freshly connected fleet.</summary>
    internal static async Task<(string Name, LongHistogram Histogram, string Notes)> MeasureAsync(string name, TestEnvironment env, int faults, CancellationToken cancellationToken,
        Func<List<ResilientSessionOptions>> options, Func<TestEnvironment, string, Task<(DateTime At, Task Restored)>> fault)
    {
        Console.Error.WriteLine($"{name}: {faults} faults...");
        var histogram = new LongHistogram(TimeStamp.Minutes(10), 3);
        var attempts = new List<int>();
        var instances = env.Faults.Instances(ResourceNames.Backend);
        for (var f = 0; f < faults; f++)
        {
            await using var fleet = await SessionFleet.ConnectAsync(options(), cancellationToken);
            env.ClientSpans.Clear();
            var before = fleet.DropCounts();
            var (faultAt, restored) = await fault(env, instances[f % instances.Count]);
            var dropped = await fleet.WaitForRecoveryAsync(before, RecoveryTimeout, cancellationToken);
            // The faulted instance is back before the next fault, as an orchestrator would bring it.
            await restored;
            var reconnects = env.ClientSpans.Finished.Where(a => a.OperationName == "client.reconnect" && a.StartTimeUtc >= faultAt).ToArray();
            foreach (var span in reconnects)
            {
                histogram.RecordValue(Math.Max(1, (long)((span.StartTimeUtc + span.Duration - faultAt).TotalMilliseconds * 1000)));
                attempts.Add(Convert.ToInt32(span.GetTagItem(ClientTelemetry.ReconnectAttempts) ?? 0, CultureInfo.InvariantCulture));
            }
            Console.Error.WriteLine($"  fault {f + 1}: {dropped} dropped, {reconnects.Length} resumed");
        }
        Console.Error.WriteLine($"  p50 {histogram.GetValueAtPercentile(50) / 1000.0:F0} ms, p99 {histogram.GetValueAtPercentile(99) / 1000.0:F0} ms, max {histogram.GetMaxValue() / 1000.0:F0} ms");
        return (name, histogram, $"attempts max {attempts.DefaultIfEmpty().Max()}");
    }

    internal static async Task<(DateTime, Task)> KillAndStartAsync(TestEnvironment env, string instance)
    {
        var faultAt = DateTime.UtcNow;
        var pid = await env.Faults.KillAsync(ResourceNames.Backend, instance);
        return (faultAt, env.Faults.StartAsync(ResourceNames.Backend, pid, instance));
    }

    private static Task<(DateTime, Task)> RestartAsync(TestEnvironment env, string instance)
    {
        var faultAt = DateTime.UtcNow;
        return Task.FromResult<(DateTime, Task)>((faultAt, env.Faults.RestartAsync(ResourceNames.Backend, instance)));
    }

    private static string Render(List<(string Name, LongHistogram Histogram, string Notes)> rows, int sessions, int faults)
    {
        static string Ms(long micros) => (micros / 1000.0).ToString("F0", CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .AppendLine("# Fault → resumed, many sessions at once (real AppHost, client spans)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkReport.MachineLine()}. Up to {sessions} sessions, {faults} faults per row; each sample is one dropped session, from the fault to the end of its `client.reconnect` span.")
            .AppendLine()
            .AppendLine("| scenario | n | p50 ms | p90 ms | p99 ms | max ms | notes |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var (name, h, notes) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {h.TotalCount} | {Ms(h.GetValueAtPercentile(50))} | {Ms(h.GetValueAtPercentile(90))} | {Ms(h.GetValueAtPercentile(99))} | {Ms(h.GetMaxValue())} | {notes} |");
        }
        return text.ToString();
    }
}
