using System.Diagnostics;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

/// <summary>Listens to the client's ActivitySource for the first finished span of a name that matches.</summary>
internal sealed class ClientSpanListener : IDisposable
{
    private readonly TaskCompletionSource<Activity> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActivityListener _listener;

    public ClientSpanListener(string name, Func<Activity, bool>? match = null)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClientTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == name && (match is null || match(a))) _stopped.TrySetResult(a);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The span, once it finished.</summary>
    public Task<Activity> Stopped => _stopped.Task;

    public void Dispose() => _listener.Dispose();
}
