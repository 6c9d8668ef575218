using ScottPlot;

namespace AspireResilience.Benchmarks.SideBySide;

/// <summary>
/// The table's picture: per measure, ours, the floor and the peer as bars scaled to the largest of
/// the three (so milliseconds and events per second share one axis), each labelled with its value.
/// </summary>
internal static class SideBySideChart
{
    private static readonly (string Name, Color Color)[] Subjects = [("ours", Colors.SteelBlue), ("floor (bare Kestrel)", Colors.Gray), ("peer (SignalR)", Colors.DarkOrange)];

    public static void Write(string path, IReadOnlyList<(string Measure, double Ours, double Floor, double Peer)> rows)
    {
        var plot = new Plot();
        for (var i = 0; i < rows.Count; i++)
        {
            var (_, ours, floor, peer) = rows[i];
            double[] values = [ours, floor, peer];
            var largest = values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max();
            var y = (rows.Count - 1 - i) * 4.0; // the first measure on top
            for (var s = 0; s < values.Length; s++)
            {
                if (double.IsNaN(values[s])) continue;
                var position = y + 2 - s;
                var share = values[s] / largest * 100;
                plot.Add.Bar(new Bar { Position = position, Value = share, FillColor = Subjects[s].Color, Orientation = Orientation.Horizontal, Size = 0.9 });
                plot.Add.Text(values[s] >= 100 ? $"{values[s]:F0}" : $"{values[s]:F2}", share + 1, position).LabelFontSize = 11;
            }
        }
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (rows.Count - 1 - i) * 4.0 + 1)], [.. rows.Select(r => r.Measure)]);
        plot.Axes.Bottom.Label.Text = "% of the largest in each row: ours blue, floor grey, peer orange (lower is better except events/s)";
        plot.Axes.SetLimitsX(0, 125);
        plot.Title("Ours vs the bare floor vs ASP.NET Core SignalR (medians)");
        plot.SavePng(path, 1300, 160 + 70 * rows.Count);
    }
}
