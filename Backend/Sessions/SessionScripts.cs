using StackExchange.Redis;

namespace AspireResilience.Backend.Sessions;

/// <summary>
/// The Lua scripts that keep a session consistent, each beside the one parser of its reply.
/// Each runs atomically in Redis, so a process that dies between two steps can never leave a
/// session half changed. The scripts of agent runs are in <c>Agents/RunScripts</c>.
/// </summary>
internal static class SessionScripts
{
    // KEYS: session  ARGV: owner, epoch, now, sessionTtlMs, connectionId
    public const string Create = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
        redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'epoch', ARGV[2], 'createdAt', ARGV[3],
                   'lastSeenAt', ARGV[3], 'top', 0, 'lastAck', 0, 'conn', ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return {'created'}
        """;

    /// <returns>false when the id is taken (the caller draws another).</returns>
    public static bool ParseCreate(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "created" => true,
        "exists" => false,
        _ => throw ScriptReply.Unexpected(nameof(Create), reply),
    };

    // KEYS: session, outbox, context  ARGV: owner, lastSeq, now, windowMs, connectionId, sessionTtlMs, sessionId, lastChain ('' if none)
    // Returns {status, top, epoch, chain at lastSeq}. An expired session keeps a small tombstone
    // (the hash) so a late client is told "expired" rather than "unknown"; its data is deleted at
    // once. 'diverged' (v1.1): the client's lastChain is not the store's chain at lastSeq, or the
    // first event to replay does not continue that chain (a corrupted outbox) — no replay on a
    // history the two do not share, and no resume loop over an entry the client keeps refusing.
    public const string Attach = ChainLua.Functions + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
        local f = redis.call('HMGET', KEYS[1], 'owner', 'lastSeenAt', 'top', 'expired', 'epoch', 'evicted')
        if f[1] ~= ARGV[1] then return {'forbidden'} end
        if f[6] == '1' then return {'evicted'} end
        if f[4] == '1' or tonumber(f[2]) + tonumber(ARGV[4]) < tonumber(ARGV[3]) then
          redis.call('DEL', KEYS[2], KEYS[3])
          redis.call('HSET', KEYS[1], 'expired', '1')
          return {'expired'}
        end
        local top = tonumber(f[3])
        local last = tonumber(ARGV[2])
        if last > top then return {'ahead', top} end
        local oldest = top + 1
        local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
        if #first > 0 then oldest = tonumber(string.match(first[1][1], '^(%d+)')) end
        if last + 1 < oldest then return {'gap', top} end
        local at = chain_at(KEYS[1], KEYS[2], last, ARGV[7])
        if ARGV[8] ~= '' and at ~= ARGV[8] then return {'diverged', top} end
        if last < top then
          local n = redis.call('XRANGE', KEYS[2], (last + 1) .. '-0', (last + 1) .. '-0')
          local e = #n == 1 and chain_entry(n[1][2]) or {}
          if not at or not e['c'] or e['c'] ~= chain_digest(at, last + 1, e['k'], e['r'], e['i'], e['t']) then return {'diverged', top} end
        end
        redis.call('HSET', KEYS[1], 'conn', ARGV[5], 'lastSeenAt', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[3], ARGV[4])
        return {'ok', top, f[5], at or ''}
        """;

    public static AttachResult ParseAttach(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "ok" => new AttachResult(AttachStatus.Resumed, ScriptReply.Number(reply, 1), ScriptReply.Text(reply, 2), ScriptReply.Text(reply, 3)),
        "diverged" => new AttachResult(AttachStatus.Diverged, ScriptReply.Number(reply, 1)),
        "ahead" => new AttachResult(AttachStatus.Ahead, ScriptReply.Number(reply, 1)),
        "gap" => new AttachResult(AttachStatus.Gap, ScriptReply.Number(reply, 1)),
        "expired" => new AttachResult(AttachStatus.Expired),
        "evicted" => new AttachResult(AttachStatus.Evicted),
        "forbidden" => new AttachResult(AttachStatus.Forbidden),
        "unknown" => new AttachResult(AttachStatus.Unknown),
        _ => throw ScriptReply.Unexpected(nameof(Attach), reply),
    };

    // KEYS: session  ARGV: connectionId, now
    // Only the attached connection detaches: a superseded one must not mark its successor's session idle.
    public const string Detach = """
        if redis.call('HGET', KEYS[1], 'conn') ~= ARGV[1] then return {'superseded'} end
        redis.call('HSET', KEYS[1], 'conn', '', 'lastSeenAt', ARGV[2])
        return {'detached'}
        """;

    /// <returns>false when another connection owned the session (or it is gone).</returns>
    public static bool ParseDetach(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "detached" => true,
        "superseded" => false,
        _ => throw ScriptReply.Unexpected(nameof(Detach), reply),
    };

    // KEYS: session, outbox, context  ARGV: (none)
    // A session evicted by its owner's session cap: its data goes at once, and a tombstone (marked
    // expired, so runs stop appending) tells a late resume "evicted". A session that has a socket
    // attached again is left alone.
    public const string Evict = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
        local conn = redis.call('HGET', KEYS[1], 'conn')
        if conn and conn ~= '' then return {'live'} end
        redis.call('DEL', KEYS[2], KEYS[3])
        redis.call('HSET', KEYS[1], 'expired', '1', 'evicted', '1')
        return {'evicted'}
        """;

    // KEYS: session, outbox, context  ARGV: connectionId, now, sessionTtlMs, windowMs
    // While a connection is attached the session is in use: keep its window and its keys' TTLs
    // moving, or an idle but connected session would expire under its client.
    public const string Touch = """
        if redis.call('HGET', KEYS[1], 'conn') ~= ARGV[1] then return {'superseded'} end
        redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[3], ARGV[4])
        return {'ok'}
        """;

    /// <returns>false once another connection owns the session (or it is gone).</returns>
    public static bool ParseTouch(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "ok" => true,
        "superseded" => false,
        _ => throw ScriptReply.Unexpected(nameof(Touch), reply),
    };

    // KEYS: session, outbox  ARGV: seq, now, connectionId
    // Cumulative ack: trims everything <= seq. An ack beyond what was produced is refused; one
    // from a connection that no longer owns the session (a superseded socket's late ack) is ignored.
    // The trimmed event's chain becomes the session's base, so a resume at seq can still be checked.
    public const string Ack = ChainLua.Functions + """
        local s = redis.call('HMGET', KEYS[1], 'top', 'conn', 'baseSeq')
        if s[2] ~= ARGV[3] then return {'superseded'} end
        local top = tonumber(s[1] or '-1')
        local seq = tonumber(ARGV[1])
        if seq > top then return {'ahead'} end
        if seq > tonumber(s[3] or '0') then
          local e = redis.call('XRANGE', KEYS[2], seq .. '-0', seq .. '-0')
          if #e == 1 then redis.call('HSET', KEYS[1], 'baseSeq', seq, 'baseChain', chain_entry(e[1][2])['c'] or '') end
        end
        redis.call('XTRIM', KEYS[2], 'MINID', tostring(seq + 1) .. '-0')
        local last = tonumber(redis.call('HGET', KEYS[1], 'lastAck') or '0')
        if seq > last then redis.call('HSET', KEYS[1], 'lastAck', seq) end
        redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[2])
        return {'ok'}
        """;

    public static AckResult ParseAck(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "ok" => AckResult.Trimmed,
        "ahead" => AckResult.Ahead,
        "superseded" => AckResult.Superseded,
        _ => throw ScriptReply.Unexpected(nameof(Ack), reply),
    };
}
