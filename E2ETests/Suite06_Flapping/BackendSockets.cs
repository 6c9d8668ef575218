using AspireResilience.TestSupport.Probes;

namespace AspireResilience.E2ETests.Suite06_Flapping;

/// <summary>The Backend's open sockets as the operating system counts them, over every replica.</summary>
public static class BackendSockets
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Established TCP connections on every Backend replica's own port.</summary>
    public static async Task<int> CountAsync(TestEnvironment env)
    {
        var counts = await Task.WhenAll(env.BackendReplicaWebSockets.Select(u => ProcessProbe.EstablishedConnectionsAsync(u.Port, Timeouts.Token())));
        return counts.Sum();
    }

    /// <summary>Waits until the count is at most <paramref name="ceiling"/> (sockets close asynchronously); returns it, or fails after <see cref="Timeouts.Default"/>.</summary>
    public static async Task<int> WaitForAtMostAsync(TestEnvironment env, int ceiling)
    {
        var cancel = Timeouts.Token();
        while (true)
        {
            var count = await CountAsync(env);
            if (count <= ceiling) return count;
            try
            {
                await Task.Delay(Poll, cancel);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the Backend still holds {count} connections, more than the baseline of {ceiling}");
            }
        }
    }
}
