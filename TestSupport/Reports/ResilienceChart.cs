using ScottPlot;

namespace AspireResilience.TestSupport.Reports;

/// <summary>
/// The report's picture: one bar per scenario, its p50, p95 and max as a share of its budget,
/// so timings of 10 ms and 10 s sit on one axis and the budget is one red line at 100 %.
/// </summary>
internal static class ResilienceChart
{
    private const int RowHeight = 40;

    public static void Write(string path, IReadOnlyList<(string Scenario, double P50, double P95, double Max, double Budget)> rows)
    {
        var plot = new Plot();
        var highest = 110.0;
        for (var i = 0; i < rows.Count; i++)
        {
            var (_, p50, p95, max, budget) = rows[i];
            var y = rows.Count - 1 - i; // the first scenario on top
            // Drawn widest first, so each narrower bar shows in front of the one behind it.
            AddBar(plot, y, max / budget * 100, Colors.LightGray);
            AddBar(plot, y, p95 / budget * 100, Colors.SteelBlue.WithAlpha(0.6));
            AddBar(plot, y, p50 / budget * 100, Colors.SteelBlue);
            highest = Math.Max(highest, max / budget * 100 + 10);
        }
        plot.Add.VerticalLine(100, 2, Colors.Red).Text = "budget";
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i))], [.. rows.Select(r => r.Scenario)]);
        plot.Axes.Bottom.Label.Text = "% of budget: p50 dark, p95 light, max grey";
        plot.Axes.SetLimitsX(0, highest);
        plot.Title("Recovery timings against their budgets");
        plot.SavePng(path, 1200, 140 + RowHeight * rows.Count);
    }

    private static void AddBar(Plot plot, int position, double percent, Color color) =>
        plot.Add.Bar(new Bar { Position = position, Value = percent, FillColor = color, Orientation = Orientation.Horizontal, Size = 0.6 });
}
