using System.Collections.Concurrent;
using System.Diagnostics;
using AspireResilience.Client;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// Collects the in-process client's finished spans (<c>client.connect</c>, <c>client.reconnect</c>),
/// the client half of each distributed trace; the services' half comes from the dashboard.
/// </summary>
public sealed class ClientSpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _finished = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly ActivityListener _listener;

    public ClientSpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClientTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                _finished.Enqueue(activity);
                _arrived.Release();
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyCollection<Activity> Finished => _finished.ToArray();

    /// <summary>Waits until a finished span matches.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_finished.FirstOrDefault(match) is { } found) return found;
            await _arrived.WaitAsync(cancel.Token);
        }
    }

    public void Dispose() => _listener.Dispose();
}
