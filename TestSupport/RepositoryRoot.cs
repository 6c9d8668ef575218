namespace AspireResilience.TestSupport;

/// <summary>The repository root: where <c>artifacts/</c> (reports, test results) goes.</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest folder above the working directory or the binaries that holds AspireResilience.sln.</summary>
    public static DirectoryInfo Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AspireResilience.sln"))) return directory;
            }
        }
        throw new InvalidOperationException("AspireResilience.sln not found above the working directory or the binaries");
    }

    /// <summary>A path under <c>artifacts/</c>, its folder created.</summary>
    public static string Artifact(params string[] relative)
    {
        var path = Path.Combine([Find().FullName, "artifacts", .. relative]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
