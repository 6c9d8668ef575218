using System.Collections.Concurrent;
using System.Diagnostics;
using AspireResilience.Client;

namespace AspireResilience.TestSupport.Telemetry;

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

    /// <summary>Every span finished since the start or the last <see cref="Clear"/>, oldest first.</summary>
    public IReadOnlyCollection<Activity> Finished => _finished.ToArray();

    /// <summary>Waits until a finished span matches; returns the oldest match.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout);
        while (true)
        {
            if (_finished.FirstOrDefault(match) is { } found) return found;
            await _arrived.WaitAsync(cancel.Token);
        }
    }

    /// <summary>Waits for a finished span named <paramref name="name"/>.</summary>
    public Task<Activity> WaitForAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(a => a.OperationName == name, timeout, cancellationToken);

    /// <summary>Waits for the <c>client.reconnect</c> span that ended in a welcome for <paramref name="sessionId"/>.</summary>
    public Task<Activity> WaitForReconnectAsync(string sessionId, CancellationToken cancellationToken = default) =>
        WaitForAsync(a => a.OperationName == "client.reconnect" && (string?)a.GetTagItem(ClientTelemetry.SessionId) == sessionId,
            Timeouts.Default, cancellationToken);

    /// <summary>Forgets the spans recorded so far, so the next wait sees only what comes after.</summary>
    public void Clear() => _finished.Clear();

    public void Dispose()
    {
        _listener.Dispose();
        _arrived.Dispose();
    }
}
