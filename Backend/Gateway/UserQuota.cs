using AspireResilience.Backend.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// The per-user caps (<see cref="GatewayOptions.MaxSessionsPerUser"/>, <see cref="GatewayOptions.MaxConnectionsPerUser"/>):
/// each user has two sorted sets in Redis under the user's own hash tag — the sessions they can
/// still resume and the sessions a socket is attached to — scored by when they were last used, so
/// every replica sees the same count. A socket of a process that died without detaching ages out
/// after <see cref="StaleAfter"/>; a resume of the same session replaces its entry at once.
/// Upkeep renews both sets; a detach and the sets' own TTLs clean them up.
/// </summary>
public sealed class UserQuota(IConnectionMultiplexer redis, IOptions<GatewayOptions> gateway, IOptions<SessionStoreOptions> sessions,
    SessionStore store, TimeProvider time)
{
    // KEYS: sessions, live  ARGV: sessionId, isNew, now, windowMs, staleMs, maxSessions, maxLive
    // Returns {'full', liveCount} or {'ok', evicted...}. Entries past the resume window (sessions)
    // or not renewed in time (live) are dropped first. A new session over the cap takes the place
    // of the user's least recently used session without a socket; the caller deletes its data.
    internal const string Admit = """
        local now = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[4]))
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[5]))
        local maxLive = tonumber(ARGV[7])
        local live = redis.call('ZCARD', KEYS[2])
        if maxLive > 0 and live >= maxLive and not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
          return {'full', live}
        end
        local reply = {'ok'}
        local maxSessions = tonumber(ARGV[6])
        if ARGV[2] == '1' and maxSessions > 0 then
          local excess = redis.call('ZCARD', KEYS[1]) - maxSessions + 1
          if excess > 0 then
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              if excess == 0 then break end
              if not redis.call('ZSCORE', KEYS[2], id) then
                redis.call('ZREM', KEYS[1], id)
                reply[#reply + 1] = id
                excess = excess - 1
              end
            end
          end
        end
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('ZADD', KEYS[2], now, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return reply
        """;

    // KEYS: sessions, live  ARGV: sessionId, now, windowMs, staleMs, stillLive
    internal const string Renew = """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        if ARGV[5] == '1' then
          redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
        else
          redis.call('ZREM', KEYS[2], ARGV[1])
        end
        return {'ok'}
        """;

    /// <summary>How long a live entry lasts without renewal: three upkeep rounds (<see cref="SessionStore.TouchInterval"/>).</summary>
    public TimeSpan StaleAfter => store.TouchInterval * 3;

    private IDatabase Db => redis.GetDatabase();
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();
    private long WindowMs => (long)sessions.Value.ResumeWindow.TotalMilliseconds;

    /// <summary>
    /// Admits a socket of <paramref name="subject"/> to <paramref name="sessionId"/> (a new session
    /// when <paramref name="isNew"/>). Null when the user already holds the maximum of live sockets;
    /// otherwise the ids of sessions evicted to make room (their data is deleted here).
    /// </summary>
    public async Task<IReadOnlyList<string>?> AdmitAsync(string subject, string sessionId, bool isNew)
    {
        var limits = gateway.Value;
        var evicted = ParseAdmit(await Db.ScriptEvaluateAsync(Admit, Keys(subject),
            [sessionId, isNew ? "1" : "0", Now, WindowMs, (long)StaleAfter.TotalMilliseconds, limits.MaxSessionsPerUser, limits.MaxConnectionsPerUser]));
        if (evicted is null) return null;
        foreach (var id in evicted)
        {
            await store.EvictAsync(id);
        }
        return evicted;
    }

    /// <returns>null for <c>full</c>, else the evicted session ids.</returns>
    internal static IReadOnlyList<string>? ParseAdmit(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "full" => null,
        "ok" => ((RedisResult[])reply!).Skip(1).Select(r => (string)r!).ToArray(),
        _ => throw ScriptReply.Unexpected(nameof(Admit), reply),
    };

    /// <summary>The socket is still attached to <paramref name="sessionId"/>: its entries stay fresh.</summary>
    public Task RenewAsync(string subject, string sessionId) => RenewAsync(subject, sessionId, stillLive: true);

    /// <summary>The socket left <paramref name="sessionId"/>: the session stays the user's, no longer live.</summary>
    public Task ReleaseAsync(string subject, string sessionId) => RenewAsync(subject, sessionId, stillLive: false);

    /// <summary>The hello named a session it could not resume: it is not the user's any more.</summary>
    public Task ForgetAsync(string subject, string sessionId)
    {
        var keys = Keys(subject);
        var batch = Db.CreateBatch();
        var removed = Task.WhenAll(batch.SortedSetRemoveAsync(keys[0], sessionId), batch.SortedSetRemoveAsync(keys[1], sessionId));
        batch.Execute();
        return removed;
    }

    private Task RenewAsync(string subject, string sessionId, bool stillLive) =>
        Db.ScriptEvaluateAsync(Renew, Keys(subject), [sessionId, Now, WindowMs, (long)StaleAfter.TotalMilliseconds, stillLive ? "1" : "0"]);

    private static RedisKey[] Keys(string subject) => [SessionKeys.UserSessions(subject), SessionKeys.UserLive(subject)];
}
