using System.Diagnostics;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Measures;

/// <summary>Latency histograms in microseconds, as every side-by-side measure records them.</summary>
internal static class Micros
{
    public static LongHistogram NewHistogram() => new(TimeStamp.Minutes(10), 3);

    public static void Record(LongHistogram histogram, TimeSpan duration) => histogram.RecordValue(Math.Max(1, duration.Ticks / 10));

    /// <summary>The time from <paramref name="start"/> to <paramref name="end"/> (both <see cref="Stopwatch"/> timestamps).</summary>
    public static void Record(LongHistogram histogram, long start, long end) => Record(histogram, Stopwatch.GetElapsedTime(start, end));

    public static double Ms(this LongHistogram histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;
}
