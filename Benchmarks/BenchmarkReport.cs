using System.Runtime.InteropServices;
using AspireResilience.TestSupport;

namespace AspireResilience.Benchmarks;

/// <summary>Where reports go (<c>artifacts/benchmarks/</c> under the repository root) and what they say about the machine.</summary>
internal static class BenchmarkReport
{
    public static string MachineLine()
    {
#if DEBUG
        const string configuration = "Debug (numbers not representative)";
#else
        const string configuration = "Release";
#endif
        return $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {configuration}, " +
            $"{TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC";
    }

    /// <summary>Prints the report and writes it to <c>artifacts/benchmarks/{fileName}</c>; returns the path.</summary>
    public static async Task<string> PublishAsync(string fileName, string markdown, CancellationToken cancellationToken)
    {
        var path = RepositoryRoot.Artifact("benchmarks", fileName);
        await File.WriteAllTextAsync(path, markdown, cancellationToken);
        Console.WriteLine(markdown);
        Console.WriteLine($"written to {path}");
        return path;
    }
}
