using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace AspireResilience.TestSupport.Reports;

/// <summary>
/// Collects the recovery timings the suites read from spans and writes
/// <c>artifacts/resilience-report.md</c> at the end of the run: per scenario p50/p95/max and
/// whether every sample met its budget.
/// </summary>
public static class ResilienceReport
{
    private static readonly ConcurrentBag<(string Scenario, double Milliseconds, double BudgetMs, string Source)> Samples = [];
    private static readonly ConcurrentBag<(string Name, double Value, string Unit, string Source)> Figures = [];

    /// <summary>Records a measured timing; returns whether it is within <paramref name="budget"/>.</summary>
    public static bool Add(string scenario, TimeSpan measured, TimeSpan budget, string source)
    {
        Samples.Add((scenario, measured.TotalMilliseconds, budget.TotalMilliseconds, source));
        return measured < budget;
    }

    /// <summary>Records a measured figure that is not a recovery time (a rate, a size), reported as measured.</summary>
    public static void AddFigure(string name, double value, string unit, string source) => Figures.Add((name, value, unit, source));

    /// <summary>Writes the report; returns its path.</summary>
    public static string Write()
    {
        var path = RepositoryRoot.Artifact("resilience-report.md");
        var text = new StringBuilder()
            .AppendLine("# Resilience report")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Written {DateTimeOffset.UtcNow:u} by the E2E suite. Timings are span durations (source column), not stopwatches.")
            .AppendLine()
            .AppendLine("| scenario | n | p50 ms | p95 ms | max ms | budget ms | within budget | source |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var group in Samples.GroupBy(s => s.Scenario).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var values = group.Select(s => s.Milliseconds).Order().ToArray();
            var budget = group.Max(s => s.BudgetMs);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {values.Length} | {Percentile(values, 0.50):F1} | {Percentile(values, 0.95):F1} | {values[^1]:F1} | {budget:F0} | {(group.All(s => s.Milliseconds < s.BudgetMs) ? "yes" : "**no**")} | {group.First().Source} |");
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
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
