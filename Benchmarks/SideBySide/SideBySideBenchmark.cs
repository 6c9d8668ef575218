using System.Globalization;
using AspireResilience.Benchmarks.Baselines;
using AspireResilience.Benchmarks.ChaosProxy;
using AspireResilience.Benchmarks.Failover;
using AspireResilience.Benchmarks.Hosting;
using AspireResilience.Benchmarks.Measures;
using AspireResilience.Benchmarks.Refresh;
using AspireResilience.Benchmarks.Resume;
using AspireResilience.Client;
using AspireResilience.Client.Tokens;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using HdrHistogram;

namespace AspireResilience.Benchmarks.SideBySide;

/// <summary>
/// Every measurement side by side, ours against the bare floor and the SignalR peer, each repeated
/// (at least 3 times) and reported as the median: one AppHost (2 Backend replicas, Redis with
/// AOF, agent delay 0) and one in-process <see cref="BaselineServer"/> for the whole run. Writes
/// <c>artifacts/benchmarks/benchmarks.md</c>, <c>.json</c> and <c>.png</c>.
/// </summary>
internal sealed class SideBySideBenchmark : IBenchmark
{
    public string Verb => "all";

    public string Description => "Everything side by side (floor, SignalR peer, ours), median of 3+ repetitions → benchmarks.md/.json/.png. Options: --quick --repetitions N --sessions N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var settings = SideBySideSettings.From(args);
        var facts = await MachineFacts.ReadAsync($"dotnet run -c Release --project Benchmarks -- all {string.Join(' ', args)}".Trim(), cancellationToken);
        var figures = new Figures();
        var started = TimeProvider.System.GetTimestamp();

        await using var server = await BaselineServer.StartAsync(cancellationToken);
        await RepetitionsAsync(server, settings, figures, cancellationToken);
        await SingleProcessKillsAsync(settings, figures, cancellationToken);

        var elapsed = TimeProvider.System.GetElapsedTime(started);
        var report = new SideBySideReport(facts, settings, figures, elapsed);
        await report.WriteAsync(cancellationToken);
        return report.AllChecksPassed ? 0 : 1;
    }

    private static async Task RepetitionsAsync(BaselineServer server, SideBySideSettings settings, Figures figures, CancellationToken cancellationToken)
    {
        await using var env = await BenchmarkEnvironment.StartAsync("bench-all", replicas: 2, users: settings.Users + settings.Repetitions, cancellationToken,
            // Thousands of sessions over a few users, refreshes back to back: the per-user caps and
            // the frame flood limit are production guards, not what is measured.
            ("Gateway__MaxSessionsPerUser", "0"),
            ("Gateway__MaxConnectionsPerUser", "0"),
            ("Gateway__FramesPerSecond", "1000"),
            ("Gateway__FrameBurst", "2000"),
            ("Agent__ChunkCount", settings.Chunks.ToString(CultureInfo.InvariantCulture)),
            ("Agent__ChunkDelay", TimeSpan.Zero.ToString()));
        var users = Enumerable.Range(0, settings.Users).Select(_ => env.Users.Next()).Select(u => new UserTokens(env.Tokens, u.Name, u.Password)).ToArray();
        var tokens = new List<string>();
        foreach (var user in users) tokens.Add(await user.GetAsync(false, cancellationToken));

        for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
        {
            Console.Error.WriteLine($"— repetition {repetition} of {settings.Repetitions} —");
            await RepetitionAsync(env, server, users, tokens, settings, figures, cancellationToken);
        }
    }

    /// <summary>
    /// SIGKILL of the only Backend process, started again at once as an orchestrator would: its own
    /// AppHost with 1 replica (after the 2-replica one has stopped), one fault per repetition.
    /// </summary>
    private static async Task SingleProcessKillsAsync(SideBySideSettings settings, Figures figures, CancellationToken cancellationToken)
    {
        await using var env = await BenchmarkEnvironment.StartAsync("bench-all-1", replicas: 1, users: settings.SingleProcessSessions * settings.Repetitions, cancellationToken);
        for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
        {
            var (_, histogram, _) = await FailoverBenchmark.MeasureAsync("SIGKILL + start of the only Backend process", env, faults: 1, cancellationToken,
                () => FailoverBenchmark.Options(env, settings.SingleProcessSessions, _ => (env.BackendWebSocketDirect, [])), FailoverBenchmark.KillAndStartAsync);
            AddLatency(figures, "kill1", histogram);
        }
    }

    private static async Task RepetitionAsync(TestEnvironment env, BaselineServer server, UserTokens[] users, List<string> tokens,
        SideBySideSettings settings, Figures figures, CancellationToken cancellationToken)
    {
        // Ours is measured against one Backend process at its own address, as the floor is one process.
        var instance = env.Faults.Instances(ResourceNames.Backend)[0];
        var backend = env.BackendReplicaWebSockets[0];
        var run = new ResumeRun(env, users[0], backend);

        Console.Error.WriteLine("handshakes and resumes...");
        AddLatency(figures, "handshake.floor", await Handshakes.FloorAsync(server, settings.Handshakes, cancellationToken));
        AddLatency(figures, "handshake.peer", await Handshakes.PeerAsync(server, settings.Handshakes, cancellationToken));
        AddLatency(figures, "handshake.ours", await run.FreshConnectsAsync(settings.Handshakes, cancellationToken));
        AddLatency(figures, "resume.ours", await run.ResumesAsync(backend, TimeSpan.Zero, settings.Resumes, cancellationToken));

        Console.Error.WriteLine("kill → next event...");
        AddKill(figures, "kill.ours", await KillToNextEvent.OursAsync(backend, users[1].GetAsync, settings.KillStreams, cancellationToken));
        AddKill(figures, "kill.peer", await KillToNextEvent.PeerAsync(server, settings.Chunks, settings.KillStreams, cancellationToken));

        Console.Error.WriteLine("throughput...");
        figures.Add("throughput.floor", await Throughput.FloorAsync(server, settings.Streams, settings.Chunks, cancellationToken));
        figures.Add("throughput.peer", await Throughput.PeerAsync(server, settings.Streams, settings.Chunks, cancellationToken));
        var sessions = new List<ResilientSession>();
        try
        {
            for (var i = 0; i < settings.Streams; i++)
            {
                sessions.Add(await ResilientSession.ConnectAsync(new ResilientSessionOptions { Endpoint = backend, AccessTokenProvider = users[2 + i % (users.Length - 2)].GetAsync }, cancellationToken));
            }
            figures.Add("throughput.ours", await Throughput.OursAsync(sessions, cancellationToken));
        }
        finally
        {
            foreach (var session in sessions) await session.DisposeAsync();
        }

        var refresh = await RefreshRun.MeasureAsync(env, backend, settings.Refreshes, TimeSpan.Zero, cancellationToken, backendSpans: false);
        AddLatency(figures, "refresh.client", refresh.Client);
        figures.Add("refresh.disconnects", refresh.Disconnects);
        figures.Add("refresh.rejected", refresh.Rejected);

        Console.Error.WriteLine("ChaosProxy overhead...");
        var chaos = await ChaosProxyBenchmark.MeasureAsync(settings.RoundTrips, settings.BulkMib * 1024L * 1024L, cancellationToken);
        figures.Add("chaosproxy.added.p50", (chaos.Proxied.GetValueAtPercentile(50) - chaos.Direct.GetValueAtPercentile(50)) / 1000.0);
        figures.Add("chaosproxy.added.p99", (chaos.Proxied.GetValueAtPercentile(99) - chaos.Direct.GetValueAtPercentile(99)) / 1000.0);
        figures.Add("chaosproxy.bulk.ratio", chaos.ProxiedRate / chaos.DirectRate);

        var memory = await IdleMemory.MeasureAsync(env, instance, tokens, settings.IdleSessions, cancellationToken);
        figures.Add("memory.heap", memory.HeapBytes);
        figures.Add("memory.rss", memory.RssBytes);
        figures.Add("memory.redis", memory.RedisBytes);

        var storm = await ResumeStorm.MeasureAsync(env, [.. users.Select(u => (Func<bool, CancellationToken, ValueTask<string>>)u.GetAsync)], settings.StormSessions, cancellationToken);
        figures.Add("storm.dropped", storm.Dropped);
        figures.Add("storm.resumed", storm.Resumed);
        figures.Add("storm.all", storm.Latency.GetMaxValue() / 1000.0);
        figures.Add("storm.p50", storm.Latency.Ms(50));
        figures.Add("storm.p99", storm.Latency.Ms(99));
    }

    private static void AddLatency(Figures figures, string key, LongHistogram histogram)
    {
        figures.Add($"{key}.p50", histogram.Ms(50));
        figures.Add($"{key}.p99", histogram.Ms(99));
        figures.Add($"{key}.n", histogram.TotalCount);
    }

    private static void AddKill(Figures figures, string key, KillToNextEvent.Result result)
    {
        AddLatency(figures, key, result.Latency);
        figures.Add($"{key}.intact", result.Intact);
        figures.Add($"{key}.streams", result.Streams);
    }
}
