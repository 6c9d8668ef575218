using AspireResilience.Benchmarks.Baselines;
using AspireResilience.Benchmarks.Measures;

namespace AspireResilience.Benchmarks.SideBySide;

/// <summary>
/// The floor and the peer alone, in-process, no AppHost: a quick look at the baselines
/// (handshake, kill → next event, events/s) without starting anything else.
/// </summary>
internal sealed class BaselinesBenchmark : IBenchmark
{
    public string Verb => "baselines";

    public string Description => "The floor and the SignalR peer alone (in-process, no AppHost). Options: --count N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = BenchmarkArgs.Int(args, "--count", 50);
        await using var server = await BaselineServer.StartAsync(cancellationToken);
        var floor = await Handshakes.FloorAsync(server, count, cancellationToken);
        var peer = await Handshakes.PeerAsync(server, count, cancellationToken);
        Console.WriteLine($"handshake p50/p99 ms: floor {floor.Ms(50):F2}/{floor.Ms(99):F2}, peer {peer.Ms(50):F2}/{peer.Ms(99):F2}");
        var kill = await KillToNextEvent.PeerAsync(server, 200, Math.Max(3, count / 5), cancellationToken);
        Console.WriteLine($"peer reset → next event p50/p99 ms: {kill.Latency.Ms(50):F2}/{kill.Latency.Ms(99):F2}, intact {kill.Intact}/{kill.Streams}");
        Console.WriteLine($"events/s: floor {await Throughput.FloorAsync(server, 20, 200, cancellationToken):F0}, peer {await Throughput.PeerAsync(server, 20, 200, cancellationToken):F0}");
        return 0;
    }
}
