using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>A connection as toxics see it, for in-memory tests: records closes and resets.</summary>
internal sealed class FakeToxicContext(TimeProvider timeProvider, Func<double>? randomizer = null) : IToxicContext
{
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeProvider TimeProvider => timeProvider;

    public Func<double> Randomizer { get; } = randomizer ?? (() => 0.5);

    public CancellationToken Closed => _closed.Token;

    /// <summary>"close" or "reset", once the connection was ended.</summary>
    public Task<string> Ended => _ended.Task;

    public void Close(string reason) => End("close");

    public void Reset(string reason) => End("reset");

    private void End(string kind)
    {
        _ended.TrySetResult(kind);
        _closed.Cancel();
    }
}
