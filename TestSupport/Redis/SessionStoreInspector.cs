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

    /// <summary>The keys of one session (its hash, outbox, context, runs), from every master (one node, or each of a cluster's).</summary>
    public async Task<IReadOnlyList<RedisKey>> SessionKeysAsync(string sessionId)
    {
        var keys = new List<RedisKey>();
        foreach (var server in _redis.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: $"*{{{sessionId}}}*", pageSize: 1000)) keys.Add(key);
        }
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

    // KEYS: outbox  ARGV: entry id, new text. A stream cannot be edited in place: it is rebuilt with
    // the same ids, fields and TTL, one entry's text changed and its stored chain left as it was.
    private const string RewriteEntryText = """
        local entries = redis.call('XRANGE', KEYS[1], '-', '+')
        local ttl = redis.call('PTTL', KEYS[1])
        local found = 0
        redis.call('DEL', KEYS[1])
        for _, e in ipairs(entries) do
          local f = e[2]
          if e[1] == ARGV[1] then
            for i = 1, #f, 2 do if f[i] == 't' then f[i + 1] = ARGV[2]; found = 1 end end
          end
          redis.call('XADD', KEYS[1], e[1], unpack(f))
        end
        if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
        return found
        """;

    /// <summary>
    /// Corrupts the store behind the Backend's back, as a faulty disk, replica or tool would: the
    /// text of outbox event <paramref name="seq"/> becomes <paramref name="text"/>, its stored chain
    /// unchanged. Fails when the session's outbox holds no such event.
    /// </summary>
    public async Task CorruptOutboxEntryAsync(string sessionId, long seq, string text)
    {
        var outbox = await KeyOfTypeAsync(sessionId, RedisType.Stream) ?? throw new InvalidOperationException($"session {sessionId} has no outbox");
        if ((long)await Db.ScriptEvaluateAsync(RewriteEntryText, [outbox], [$"{seq}-0", text]) != 1)
            throw new InvalidOperationException($"the outbox of {sessionId} holds no event {seq}");
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
