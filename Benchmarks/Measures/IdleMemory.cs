using System.Net.Http.Json;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Probes;

namespace AspireResilience.Benchmarks.Measures;

/// <summary>
/// What an idle session costs: <c>sessions</c> <see cref="IdleSocket"/>s opened on one Backend
/// process, and the difference they make to its managed heap (after a full collection, from the
/// admin API's <see cref="BackendAdminApi.MemoryPath"/>), to its resident memory (VmRSS, read from
/// <c>/proc</c>) and to Redis's <c>used_memory</c>, each divided by the sessions.
/// </summary>
internal static class IdleMemory
{
    private const int ConnectConcurrency = 8;

    public sealed record Result(int Sessions, double HeapBytes, double RssBytes, double RedisBytes);

    /// <param name="instance">The Backend process measured; the sockets go to its own address.</param>
    /// <param name="tokens">Access tokens of the users the sessions are spread over, used in turn.</param>
    /// <param name="whileOpen">Runs while the sessions are open, after the figures are taken (a heap dump, say).</param>
    public static async Task<Result> MeasureAsync(TestEnvironment env, string instance, IReadOnlyList<string> tokens, int sessions, CancellationToken cancellationToken,
        Func<Task>? whileOpen = null)
    {
        var address = ResourceInstance.Read(env.App, ResourceNames.Backend, instance).Address;
        var ws = new UriBuilder("ws", address.Host, address.Port, "/ws").Uri;
        using var admin = new HttpClient { BaseAddress = address };
        await using var redis = await RedisProbe.ConnectAsync(env, cancellationToken);

        var before = await SnapshotAsync(admin, address.Port, redis, cancellationToken);
        var sockets = new IdleSocket[sessions];
        try
        {
            Console.Error.WriteLine($"memory: opening {sessions} idle sessions...");
            await Parallel.ForAsync(0, sessions, new ParallelOptions { MaxDegreeOfParallelism = ConnectConcurrency, CancellationToken = cancellationToken },
                async (i, token) => sockets[i] = await IdleSocket.ConnectAsync(ws, tokens[i % tokens.Count], token));
            var after = await SnapshotAsync(admin, address.Port, redis, cancellationToken);
            if (whileOpen is not null) await whileOpen();
            return new Result(sessions,
                (double)(after.Heap - before.Heap) / sessions,
                (double)(after.Rss - before.Rss) / sessions,
                (double)(after.Redis - before.Redis) / sessions);
        }
        finally
        {
            foreach (var socket in sockets) if (socket is not null) await socket.DisposeAsync();
        }
    }

    private static async Task<(long Heap, long Rss, long Redis)> SnapshotAsync(HttpClient admin, int port, RedisProbe redis, CancellationToken cancellationToken)
    {
        // The admin call collects first, so neither figure counts the handshakes' garbage.
        var memory = await admin.GetFromJsonAsync<BackendMemory>(BackendAdminApi.MemoryPath, cancellationToken)
            ?? throw new InvalidOperationException("the Backend's admin API answered no memory figures");
        var rss = await ProcessProbe.ResidentBytesAsync(port, cancellationToken);
        return (memory.ManagedHeapBytes, rss, await redis.UsedMemoryAsync());
    }
}
