namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>Waits for a state that announces itself by no event (a Redis key shrinking), by polling it.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test when it has not within <see cref="Timeouts.Default"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Default);
        using var poll = new PeriodicTimer(Interval);
        while (!await condition())
        {
            try
            {
                await poll.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"not within {Timeouts.Default.TotalSeconds:F0} s: {what}");
            }
        }
    }
}
