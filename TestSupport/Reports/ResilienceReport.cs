using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Reports;

/// <summary>
/// Collects the recovery timings the suites read from spans and writes
/// <c>artifacts/resilience-report.md</c> (<c>resilience-report-cluster.md</c> on Redis Cluster) at the end of the run: per scenario p50/p95/max and
/// whether every sample met its budget.
/// </summary>
public static class ResilienceReport
{
    private static readonly ConcurrentBag<(string Scenario, double Milliseconds, double BudgetMs, string Source)> Samples = [];
    private static readonly ConcurrentBag<(string Name, double Value, string Unit, string Source)> Figures = [];
    private static readonly ConcurrentBag<(string Title, string Path)> Links = [];

    /// <summary>Records a measured timing; returns whether it is within <paramref name="budget"/>.</summary>
    public static bool Add(string scenario, TimeSpan measured, TimeSpan budget, string source)
    {
        Samples.Add((scenario, measured.TotalMilliseconds, budget.TotalMilliseconds, source));
        return measured < budget;
    }

    /// <summary>Records a measured figure that is not a recovery time (a rate, a size), reported as measured.</summary>
    public static void AddFigure(string name, double value, string unit, string source) => Figures.Add((name, value, unit, source));

    /// <summary>Links another artifact from the report (e.g. the soak's summary); <paramref name="path"/> is relative to <c>artifacts/</c>.</summary>
    public static void AddLink(string title, string path) => Links.Add((title, path));

    /// <summary>Writes the report and its chart (<c>resilience-report.png</c> beside it); returns the report's path.</summary>
    public static string Write()
    {
        // A run on Redis Cluster (./test.sh --redis cluster) keeps its own report beside the default run's.
        var name = RedisModes.FromEnvironment == RedisModes.Cluster ? "resilience-report-cluster" : "resilience-report";
        var path = RepositoryRoot.Artifact($"{name}.md");
        var rows = Samples.GroupBy(s => s.Scenario).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var values = group.Select(s => s.Milliseconds).Order().ToArray();
            return (Scenario: group.Key, N: values.Length, P50: Percentile(values, 0.50), P95: Percentile(values, 0.95), Max: values[^1],
                Budget: group.Max(s => s.BudgetMs), Within: group.All(s => s.Milliseconds < s.BudgetMs), group.First().Source);
        }).ToArray();
        var text = new StringBuilder()
            .AppendLine(name == "resilience-report" ? "# Resilience report" : "# Resilience report (Redis Cluster)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Written {DateTimeOffset.UtcNow:u} by the E2E suite. Timings are span durations (source column), not stopwatches.")
            .AppendLine()
            .AppendLine("| scenario | n | p50 ms | p95 ms | max ms | budget ms | within budget | source |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Scenario} | {row.N} | {row.P50:F1} | {row.P95:F1} | {row.Max:F1} | {row.Budget:F0} | {(row.Within ? "yes" : "**no**")} | {row.Source} |");
        }
        if (!Figures.IsEmpty)
        {
            text.AppendLine()
                .AppendLine("| figure | value | unit | source |")
                .AppendLine("|---|---|---|---|");
            foreach (var figure in Figures.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} | {figure.Value:F0} | {figure.Unit} | {figure.Source} |");
            }
        }
        if (rows.Length > 0)
        {
            ResilienceChart.Write(RepositoryRoot.Artifact($"{name}.png"), [.. rows.Select(r => (r.Scenario, r.P50, r.P95, r.Max, r.Budget))]);
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"![Each timing as a share of its budget]({name}.png)");
        }
        if (!Links.IsEmpty)
        {
            text.AppendLine().AppendLine("## See also").AppendLine();
            foreach (var (title, target) in Links.OrderBy(l => l.Title, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"* [{title}]({target})");
            }
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0..1) of ascending <paramref name="sorted"/>.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
