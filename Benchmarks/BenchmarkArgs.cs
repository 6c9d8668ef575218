using System.Globalization;

namespace AspireResilience.Benchmarks;

/// <summary>Reads <c>--name value</c> options from a benchmark's arguments.</summary>
internal static class BenchmarkArgs
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
