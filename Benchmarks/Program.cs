using AspireResilience.Benchmarks;
using AspireResilience.Benchmarks.ChaosProxy;
using AspireResilience.Benchmarks.Failover;
using AspireResilience.Benchmarks.Memory;
using AspireResilience.Benchmarks.Refresh;
using AspireResilience.Benchmarks.Replay;
using AspireResilience.Benchmarks.Resume;
using AspireResilience.Benchmarks.SideBySide;
using AspireResilience.Benchmarks.Soak;

// One verb per benchmark: dotnet run -c Release --project Benchmarks -- <verb> [options]; "all" runs them side by side.
IBenchmark[] benchmarks = [new SideBySideBenchmark(), new BaselinesBenchmark(), new IdleMemoryBenchmark(), new ChaosProxyBenchmark(), new ResumeBenchmark(), new FailoverBenchmark(), new RefreshBenchmark(), new ReplayBenchmark(), new SoakBenchmark()];

var benchmark = benchmarks.FirstOrDefault(b => b.Verb == args.FirstOrDefault());
if (benchmark is null)
{
    Console.Error.WriteLine("usage: Benchmarks <verb> [options]");
    foreach (var known in benchmarks)
    {
        Console.Error.WriteLine($"  {known.Verb,-12} {known.Description}");
    }

    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await benchmark.RunAsync(args[1..], cancellation.Token);
