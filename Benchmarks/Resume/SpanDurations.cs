using System.Collections.Concurrent;
using System.Diagnostics;
using AspireResilience.Client;

namespace AspireResilience.Benchmarks.Resume;

/// <summary>Durations of the client's finished spans by name: the benchmark's timing source.</summary>
internal sealed class SpanDurations : IDisposable
{
    private readonly ConcurrentDictionary<string, BlockingCollection<TimeSpan>> _byName = new();
    private readonly ActivityListener _listener;

    public SpanDurations()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClientTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Queue(activity.OperationName).Add(activity.Duration),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The duration of the next span named <paramref name="name"/> to finish.</summary>
    public TimeSpan Take(string name, CancellationToken cancellationToken) =>
        Queue(name).TryTake(out var duration, (int)TimeSpan.FromSeconds(30).TotalMilliseconds, cancellationToken)
            ? duration
            : throw new TimeoutException($"No '{name}' span finished within 30 s.");

    public void Clear()
    {
        foreach (var queue in _byName.Values)
        {
            while (queue.TryTake(out _)) { }
        }
    }

    private BlockingCollection<TimeSpan> Queue(string name) => _byName.GetOrAdd(name, _ => []);

    public void Dispose() => _listener.Dispose();
}
