using System.Diagnostics;
using AspireResilience.Backend.Telemetry;

namespace AspireResilience.UnitTests.Backend;

/// <summary>Records the backend's spans as they end, and lets a test wait for one (no sleeps).</summary>
internal sealed class SpanCollector : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ActivityListener _listener;
    private readonly List<Activity> _ended = [];
    private readonly List<(Func<Activity, bool> Match, TaskCompletionSource<Activity> Found)> _waiting = [];

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BackendTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public Task<Activity> WaitForAsync(string name, Func<Activity, bool>? match = null)
    {
        bool Matches(Activity a) => a.OperationName == name && (match?.Invoke(a) ?? true);
        lock (_ended)
        {
            if (_ended.FirstOrDefault(Matches) is { } done) return Task.FromResult(done);
            var found = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((Matches, found));
            return found.Task.WaitAsync(Timeout);
        }
    }

    public IReadOnlyList<Activity> Ended(string name)
    {
        lock (_ended) return _ended.Where(a => a.OperationName == name).ToArray();
    }

    private void OnStopped(Activity activity)
    {
        lock (_ended)
        {
            _ended.Add(activity);
            foreach (var waiter in _waiting.Where(w => w.Match(activity)).ToArray())
            {
                waiter.Found.TrySetResult(activity);
                _waiting.Remove(waiter);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
