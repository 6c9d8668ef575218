using AspireResilience.Backend.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// The reconnect limits (<see cref="GatewayOptions.ReconnectsPerSession"/>, <see cref="GatewayOptions.ReconnectsPerUser"/>):
/// hellos are counted in Redis in fixed windows, so a client that flaps between replicas meets
/// the same count everywhere. The window starts at its first hello and is timed by Redis (a key's
/// TTL), the one clock all replicas share. Each counter is one key under its own hash tag and
/// one atomic script, so it stays valid on Redis Cluster and expires with its window.
/// </summary>
public sealed class ReconnectLimiter(IConnectionMultiplexer redis, IOptions<GatewayOptions> options)
{
    // KEYS: counter[, session]  ARGV: limit, windowMs[, owner]
    // Returns {'ok'} or {'limited', msLeftInWindow}. Refused hellos count too: a client that
    // ignores the retry-after does not earn an earlier way in, and the window still ends on time.
    // With a session, only its owner's hellos count (same hash tag, so one slot): another user's
    // hellos are refused 4003 by the attach and must not lock the owner out.
    internal const string CountHello = """
        if #KEYS == 2 then
          local owner = redis.call('HGET', KEYS[2], 'owner')
          if owner and owner ~= ARGV[3] then return {'ok'} end
        end
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if n <= tonumber(ARGV[1]) then return {'ok'} end
        local left = redis.call('PTTL', KEYS[1])
        if left < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          left = tonumber(ARGV[2])
        end
        return {'limited', left}
        """;

    /// <summary>
    /// Counts a hello of <paramref name="subject"/> (naming <paramref name="sessionId"/>, for a
    /// resume). Returns null when it is within both limits, otherwise how long the client must
    /// wait (the longer of the two windows' remains, at least 1 ms).
    /// </summary>
    public async Task<TimeSpan?> CountAsync(string subject, string? sessionId)
    {
        var limits = options.Value;
        var windowMs = (long)limits.ReconnectWindow.TotalMilliseconds;
        TimeSpan? wait = null;
        if (sessionId is not null && limits.ReconnectsPerSession > 0)
        {
            wait = Longer(wait, Parse(await Db.ScriptEvaluateAsync(CountHello,
                [SessionKeys.Hellos(sessionId), SessionKeys.Session(sessionId)], [limits.ReconnectsPerSession, windowMs, subject])));
        }
        if (limits.ReconnectsPerUser > 0)
        {
            wait = Longer(wait, Parse(await Db.ScriptEvaluateAsync(CountHello,
                [SessionKeys.UserHellos(subject)], [limits.ReconnectsPerUser, windowMs])));
        }
        return wait;
    }

    private IDatabase Db => redis.GetDatabase();

    internal static TimeSpan? Parse(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "ok" => null,
        "limited" => TimeSpan.FromMilliseconds(Math.Max(1, ScriptReply.Number(reply, 1))),
        _ => throw ScriptReply.Unexpected(nameof(CountHello), reply),
    };

    private static TimeSpan? Longer(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
