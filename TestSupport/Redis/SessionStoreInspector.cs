using Aspire.Hosting.Testing;
using AspireResilience.TestSupport.Hosting;
using StackExchange.Redis;

namespace AspireResilience.TestSupport.Redis;

/// <summary>
/// Looks into the real session store (redis-server, directly, not through ChaosProxy) for what
/// the protocol does not show: how much a session keeps. It relies only on the documented
/// model (DESIGN.md §5): every key of a session carries its id as a hash tag, and its outbox is
/// its one stream.
/// </summary>
public sealed class SessionStoreInspector : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;

    private SessionStoreInspector(ConnectionMultiplexer redis) => _redis = redis;

    private IDatabase Db => _redis.GetDatabase();

    public static async Task<SessionStoreInspector> ConnectAsync(TestEnvironment env)
    {
        var connectionString = await env.App.GetConnectionStringAsync(Contracts.ResourceNames.Redis, Timeouts.Token())
            ?? throw new InvalidOperationException("the Redis resource has no connection string");
        return new SessionStoreInspector(await ConnectionMultiplexer.ConnectAsync(connectionString + ",abortConnect=false"));
    }

    /// <summary>The keys of one session (its hash, outbox, context, runs).</summary>
    public async Task<IReadOnlyList<RedisKey>> SessionKeysAsync(string sessionId)
    {
        var server = _redis.GetServers()[0];
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"*{{{sessionId}}}*", pageSize: 1000)) keys.Add(key);
        return keys;
    }

    /// <summary>Events the session's outbox holds now (0 when it has none).</summary>
    public async Task<long> OutboxLengthAsync(string sessionId) =>
        await KeyOfTypeAsync(sessionId, RedisType.Stream) is { } outbox ? await Db.StreamLengthAsync(outbox) : 0;

    /// <summary>Turns the session's context (its one list) holds now (0 when it has none).</summary>
    public async Task<long> ContextLengthAsync(string sessionId) =>
        await KeyOfTypeAsync(sessionId, RedisType.List) is { } context ? await Db.ListLengthAsync(context) : 0;

    /// <summary>Bytes the session's outbox takes in Redis (<c>MEMORY USAGE</c>; 0 when it has none).</summary>
    public async Task<long> OutboxMemoryAsync(string sessionId)
    {
        if (await KeyOfTypeAsync(sessionId, RedisType.Stream) is not { } outbox) return 0;
        var usage = await Db.ExecuteAsync("MEMORY", "USAGE", outbox, "SAMPLES", "0");
        return usage.IsNull ? 0 : (long)usage;
    }

    private async Task<RedisKey?> KeyOfTypeAsync(string sessionId, RedisType type)
    {
        foreach (var key in await SessionKeysAsync(sessionId))
        {
            if (await Db.KeyTypeAsync(key) == type) return key;
        }
        return null;
    }

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
