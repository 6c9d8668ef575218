using System.Collections.Concurrent;

namespace AspireResilience.Benchmarks.Baselines;

/// <summary>
/// Where the peer's stream waits while the benchmark kills its socket: the hub pauses a run
/// after a given event until the benchmark opens its gate, so the events after the kill are the
/// ones the stateful reconnect must deliver.
/// </summary>
internal static class AnswerGates
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static Task WaitAsync(string runId, CancellationToken cancellationToken) =>
        Gates.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(cancellationToken);

    public static void Open(string runId) =>
        Gates.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public static void Forget(string runId) => Gates.TryRemove(runId, out _);
}
