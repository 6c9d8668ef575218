namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>Waits that end early when the toxic is removed (then the caller forwards at once, as Toxiproxy does).</summary>
internal static class ToxicTiming
{
    /// <summary>Returns <paramref name="timestamp"/> moved by <paramref name="span"/>, in the clock's units.</summary>
    public static long Add(TimeProvider timeProvider, long timestamp, TimeSpan span) =>
        timestamp + (long)(span.Ticks * (timeProvider.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    /// <summary>
    /// Waits until <paramref name="dueTimestamp"/>. True when it elapsed, false when
    /// <paramref name="removed"/> fired first; throws when <paramref name="cancellationToken"/> does.
    /// </summary>
    public static ValueTask<bool> DelayUntilAsync(TimeProvider timeProvider, long dueTimestamp, CancellationToken removed, CancellationToken cancellationToken)
    {
        var remaining = timeProvider.GetElapsedTime(timeProvider.GetTimestamp(), dueTimestamp);
        return remaining <= TimeSpan.Zero
            ? ValueTask.FromResult(!removed.IsCancellationRequested)
            : DelayAsync(timeProvider, remaining, removed, cancellationToken);
    }

    /// <summary>Waits <paramref name="delay"/> (may be infinite); same outcome as <see cref="DelayUntilAsync"/>.</summary>
    public static async ValueTask<bool> DelayAsync(TimeProvider timeProvider, TimeSpan delay, CancellationToken removed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (removed.IsCancellationRequested)
        {
            return false;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(removed, cancellationToken);
        try
        {
            await Task.Delay(delay, timeProvider, linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
