using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Soak;

namespace AspireResilience.Benchmarks.Soak;

/// <summary>
/// The chaos soak for as long as asked (hours, if need be): the same runner, faults and checker
/// as the E2E test in <c>./test.sh</c>, with its own AppHost. Exit code 1 when the checker
/// found a violation; the summary goes to <c>artifacts/benchmarks/soak-{seed}.md</c>.
/// </summary>
internal sealed class SoakBenchmark : IBenchmark
{
    public string Verb => "soak";

    public string Description => "Chaos soak: N clients through seeded random faults, then the delivery checker. Options: --duration SECONDS --clients N --seed N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var defaults = new SoakOptions();
        var options = defaults with
        {
            Clients = BenchmarkArgs.Int(args, "--clients", defaults.Clients),
            Duration = TimeSpan.FromSeconds(BenchmarkArgs.Int(args, "--duration", (int)defaults.Duration.TotalSeconds)),
            Seed = BenchmarkArgs.Int(args, "--seed", defaults.Seed),
        };
        Console.WriteLine($"soak: seed {options.Seed}, {options.Clients} clients, {options.Duration.TotalSeconds:F0} s of faults");
        SoakResult result;
        await using (var env = await TestEnvironment.StartAsync(SoakSettings.Options(options.Clients), cancellationToken))
        {
            result = await SoakRunner.RunAsync(env, options, Console.WriteLine, cancellationToken);
        }
        await BenchmarkReport.PublishAsync($"soak-{options.Seed}.md", SoakSummary.Render(result), cancellationToken);
        return result.Verdict.Passed ? 0 : 1;
    }
}
