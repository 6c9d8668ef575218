using System.Diagnostics;
using AspireResilience.Benchmarks.Hosting;
using AspireResilience.Benchmarks.Measures;
using AspireResilience.Client.Tokens;
using AspireResilience.Contracts;
using AspireResilience.TestSupport;

namespace AspireResilience.Benchmarks.Memory;

/// <summary>
/// Memory per idle session on its own (one Backend process), and the profiler's view of it:
/// with <c>--gcdump</c>, <c>dotnet-gcdump</c> (a dotnet tool) dumps the Backend's heap while the
/// sessions are open, to <c>artifacts/benchmarks/backend-idle.gcdump</c>; <c>dotnet-gcdump report</c>
/// lists it by type.
/// </summary>
internal sealed class IdleMemoryBenchmark : IBenchmark
{
    public string Verb => "memory";

    public string Description => "Backend heap/RSS and Redis bytes per idle session on one Backend process. Options: --sessions N --gcdump";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sessions = BenchmarkArgs.Int(args, "--sessions", 5_000);
        await using var env = await BenchmarkEnvironment.StartAsync("bench-memory", replicas: 1, users: 50, cancellationToken,
            ("Gateway__MaxSessionsPerUser", "0"), ("Gateway__MaxConnectionsPerUser", "0"));
        var tokens = new List<string>();
        foreach (var user in env.Users.All) tokens.Add(await new UserTokens(env.Tokens, user.Name, user.Password).GetAsync(false, cancellationToken));
        var instance = env.Faults.Instances(ResourceNames.Backend)[0];
        var dump = RepositoryRoot.Artifact("benchmarks", "backend-idle.gcdump");
        var result = await IdleMemory.MeasureAsync(env, instance, tokens, sessions, cancellationToken,
            args.Contains("--gcdump") ? () => GcDumpAsync(env.Faults.Pid(instance) ?? throw new InvalidOperationException("no Backend pid"), dump, cancellationToken) : null);
        var report = $"# Memory per idle session ({sessions:N0} on one Backend process)\n\nMachine: {BenchmarkReport.MachineLine()}.\n\n" +
            "| Backend managed heap KB | Backend RSS KB | Redis bytes |\n|---:|---:|---:|\n" +
            $"| {result.HeapBytes / 1024:F1} | {result.RssBytes / 1024:F1} | {result.RedisBytes:F0} |\n";
        await BenchmarkReport.PublishAsync("memory.md", report, cancellationToken);
        return 0;
    }

    private static async Task GcDumpAsync(int pid, string path, CancellationToken cancellationToken)
    {
        // The pid is DCP's `dotnet run` host for a project: the Backend is its child.
        var backend = Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d))
            .Where(p => int.TryParse(p, out _) && File.Exists($"/proc/{p}/stat"))
            .FirstOrDefault(p => File.ReadAllText($"/proc/{p}/stat").Split(' ')[3] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && File.ReadAllText($"/proc/{p}/cmdline").Contains("Backend", StringComparison.Ordinal)) ?? pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("dotnet-gcdump") { RedirectStandardOutput = true };
        foreach (var a in (string[])["collect", "-p", backend, "-o", path]) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-gcdump did not start (dotnet tool install -g dotnet-gcdump)");
        Console.Error.WriteLine(await process.StandardOutput.ReadToEndAsync(cancellationToken));
        await process.WaitForExitAsync(cancellationToken);
    }
}
