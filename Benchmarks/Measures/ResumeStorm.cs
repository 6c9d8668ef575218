using AspireResilience.Benchmarks.Failover;
using AspireResilience.Client;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Measures;

/// <summary>
/// The resume storm: <c>sessions</c> live sessions spread over the two Backend replicas (each
/// client with the other replica as its alternate), one replica SIGKILLed, and per dropped session
/// the time from the kill to the end of its <c>client.reconnect</c> span. "All resumed" is the
/// largest of those. The killed replica is started again afterwards, as an orchestrator would.
/// </summary>
internal static class ResumeStorm
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int Dropped, int Resumed, LongHistogram Latency);

    public static async Task<Result> MeasureAsync(TestEnvironment env, IReadOnlyList<Func<bool, CancellationToken, ValueTask<string>>> tokens, int sessions,
        CancellationToken cancellationToken)
    {
        var instances = env.Faults.Instances(ResourceNames.Backend);
        var replicas = env.BackendReplicaWebSockets;
        Console.Error.WriteLine($"storm: connecting {sessions} sessions over {replicas.Count} replicas...");
        await using var fleet = await SessionFleet.ConnectAsync(Enumerable.Range(0, sessions).Select(i => new ResilientSessionOptions
        {
            Endpoint = replicas[i % replicas.Count],
            AlternateEndpoints = [replicas[(i + 1) % replicas.Count]],
            AccessTokenProvider = tokens[i % tokens.Count],
        }), cancellationToken);
        env.ClientSpans.Clear();
        var before = fleet.DropCounts();
        var faultAt = DateTime.UtcNow;
        var pid = await env.Faults.KillAsync(ResourceNames.Backend, instances[0]);
        var dropped = await fleet.WaitForRecoveryAsync(before, RecoveryTimeout, cancellationToken);
        var latency = Micros.NewHistogram();
        var resumed = 0;
        foreach (var span in env.ClientSpans.Finished.Where(a => a.OperationName == "client.reconnect" && a.StartTimeUtc >= faultAt))
        {
            Micros.Record(latency, span.StartTimeUtc + span.Duration - faultAt);
            resumed++;
        }
        await env.Faults.StartAsync(ResourceNames.Backend, pid, instances[0]);
        return new Result(dropped, resumed, latency);
    }
}
