using System.Globalization;
using System.Text;
using AspireResilience.Benchmarks.Hosting;
using AspireResilience.Contracts;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Redis;
using AspireResilience.TestSupport.Sessions;
using AspireResilience.TestSupport.Wire;

namespace AspireResilience.Benchmarks.Replay;

/// <summary>
/// The replay of a queued outbox against the real AppHost: each round queues two answers of
/// <see cref="ChunksPerAnswer"/> chunks while its client is away, then resumes from seq 0. The
/// figures are the Backend's <c>session.replay</c> span (welcome → last replayed event written),
/// the outbox's bytes per event in Redis (<c>MEMORY USAGE</c>) and the event frames' bytes on the
/// wire, so a change to what an event carries shows its cost in all three.
/// </summary>
internal sealed class ReplayBenchmark : IBenchmark
{
    private const int ChunksPerAnswer = 5_000;
    private const int EventsPerRound = 2 * (ChunksPerAnswer + 2);

    public string Verb => "replay";

    public string Description => "Replay of 10,004 queued events (session.replay span, outbox and wire bytes per event). Options: --rounds N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = BenchmarkArgs.Int(args, "--rounds", 5);
        await using var env = await BenchmarkEnvironment.StartAsync("benchreplay", replicas: 1, users: rounds + 1, cancellationToken,
            ("Agent__ChunkCount", ChunksPerAnswer.ToString(CultureInfo.InvariantCulture)),
            ("Agent__ChunkDelay", TimeSpan.Zero.ToString()),
            ("Sessions__OutboxCap", "20000"));
        await using var store = await SessionStoreInspector.ConnectAsync(env);

        var samples = new List<(double ReplayMs, double RedisBytes, double WireBytes)>();
        for (var round = 0; round <= rounds; round++) // round 0 warms up
        {
            var user = env.Users.Next();
            var token = await new Client.Tokens.UserTokens(env.Tokens, user.Name, user.Password).GetAsync(false, cancellationToken);
            var welcome = await RawClient.PromptAndLeaveAsync(env.BackendWebSocketDirect, token, new PromptMessage("a", "a"), new PromptMessage("b", "b"));
            foreach (var run in new[] { "a", "b" }) await env.Telemetry.WaitForRunEndAsync(welcome.SessionId, run, TimeSpan.FromSeconds(120));
            var redisBytes = (double)await store.OutboxMemoryAsync(welcome.SessionId) / EventsPerRound;

            await using var client = await SessionFactory.ResumeAsync(env, user, welcome.SessionId, 0, welcome.Epoch);
            long wireBytes = 0;
            await client.Session.ReadAnswersAsync(["a", "b"], expectedFirstSeq: 1,
                onEvent: e => wireBytes += ProtocolJson.Serialize(e).Length, cancellationToken);
            var replay = await env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "session.replay", TimeSpan.FromSeconds(60),
                s => s.Attributes.GetValueOrDefault("session.id") == welcome.SessionId);
            if (round > 0) samples.Add((replay.Duration.TotalMilliseconds, redisBytes, (double)wireBytes / EventsPerRound));
            Console.Error.WriteLine($"round {round}: replay {replay.Duration.TotalMilliseconds:F1} ms");
        }

        await BenchmarkReport.PublishAsync("replay.md", Render(samples), cancellationToken);
        return 0;
    }

    private static string Render(List<(double ReplayMs, double RedisBytes, double WireBytes)> samples)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Replay of {EventsPerRound:N0} queued events (real AppHost)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkReport.MachineLine()}. {samples.Count} rounds after one warm-up.")
            .AppendLine()
            .AppendLine("| round | session.replay ms | events/s | outbox bytes/event (Redis) | wire bytes/event |")
            .AppendLine("|---:|---:|---:|---:|---:|");
        for (var i = 0; i < samples.Count; i++)
        {
            var (ms, redis, wire) = samples[i];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {ms:F1} | {EventsPerRound / ms * 1000:F0} | {redis:F1} | {wire:F1} |");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| **median** | **{Median(samples.Select(s => s.ReplayMs)):F1}** | | **{Median(samples.Select(s => s.RedisBytes)):F1}** | **{Median(samples.Select(s => s.WireBytes)):F1}** |");
        return text.ToString();
    }
}
