using System.Runtime.InteropServices;

namespace AspireResilience.Benchmarks;

/// <summary>Where reports go (<c>artifacts/benchmarks/</c> under the repository root) and what they say about the machine.</summary>
internal static class BenchmarkReport
{
    /// <summary>The repository root: the nearest folder above the working directory or the binaries holding AspireResilience.sln.</summary>
    public static DirectoryInfo FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AspireResilience.sln")))
                {
                    return directory;
                }
            }
        }

        throw new InvalidOperationException("AspireResilience.sln not found above the working directory or the binaries");
    }

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
        var path = Path.Combine(FindRepositoryRoot().FullName, "artifacts", "benchmarks", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, markdown, cancellationToken);
        Console.WriteLine(markdown);
        Console.WriteLine($"written to {path}");
        return path;
    }
}
