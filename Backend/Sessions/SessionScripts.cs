namespace AspireResilience.Backend.Sessions;

/// <summary>
/// The Lua scripts that keep a session consistent. Each runs atomically in Redis, so a process
/// that dies between two steps can never leave a seq allocated without its outbox entry, nor
/// a chunk appended without its run checkpoint moving on.
/// </summary>
internal static class SessionScripts
{
    // KEYS: session  ARGV: owner, epoch, now, sessionTtlMs, connectionId
    public const string Create = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'epoch', ARGV[2], 'createdAt', ARGV[3],
                   'lastSeenAt', ARGV[3], 'top', 0, 'lastAck', 0, 'conn', ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """;

    // KEYS: session, outbox, context  ARGV: owner, lastSeq, now, windowMs, connectionId, sessionTtlMs
    // Returns {status, top, epoch}. An expired session keeps a small tombstone (the hash) so a
    // late client is told "expired" rather than "unknown"; its data is deleted at once.
    public const string Attach = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
        local f = redis.call('HMGET', KEYS[1], 'owner', 'lastSeenAt', 'top', 'expired', 'epoch')
        if f[1] ~= ARGV[1] then return {'forbidden'} end
        if f[4] == '1' or tonumber(f[2]) + tonumber(ARGV[4]) < tonumber(ARGV[3]) then
          redis.call('DEL', KEYS[2], KEYS[3])
          redis.call('HSET', KEYS[1], 'expired', '1')
          return {'expired'}
        end
        local top = tonumber(f[3])
        local last = tonumber(ARGV[2])
        if last > top then return {'ahead', f[3]} end
        local oldest = top + 1
        local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
        if #first > 0 then oldest = tonumber(string.match(first[1][1], '^(%d+)')) end
        if last + 1 < oldest then return {'gap', f[3]} end
        redis.call('HSET', KEYS[1], 'conn', ARGV[5], 'lastSeenAt', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[3], ARGV[4])
        return {'ok', f[3], f[5]}
        """;

    // KEYS: session  ARGV: connectionId, now
    public const string Detach = """
        if redis.call('HGET', KEYS[1], 'conn') == ARGV[1] then
          redis.call('HSET', KEYS[1], 'conn', '', 'lastSeenAt', ARGV[2])
        end
        return 1
        """;

    // KEYS: session, outbox, context  ARGV: connectionId, now, sessionTtlMs, windowMs
    // While a connection is attached the session is in use: keep its window and its keys' TTLs
    // moving, or an idle but connected session would expire under its client.
    public const string Touch = """
        if redis.call('HGET', KEYS[1], 'conn') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[3], ARGV[4])
        return 1
        """;

    // KEYS: session, outbox  ARGV: seq, now
    // Cumulative ack: trims everything <= seq. An ack beyond what was produced is refused (-1).
    public const string Ack = """
        local top = tonumber(redis.call('HGET', KEYS[1], 'top') or '-1')
        local seq = tonumber(ARGV[1])
        if seq > top then return -1 end
        redis.call('XTRIM', KEYS[2], 'MINID', tostring(seq + 1) .. '-0')
        local last = tonumber(redis.call('HGET', KEYS[1], 'lastAck') or '0')
        if seq > last then redis.call('HSET', KEYS[1], 'lastAck', seq) end
        redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[2])
        return 1
        """;

    // KEYS: session, run, context  ARGV: owner, prompt, instance, leaseUntil, dataTtlMs, userTurnJson
    // Returns 1 when the run was created, 0 when a run with this id exists (idempotent prompt),
    // -2 when the session is gone or not the caller's.
    public const string StartRun = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return -2 end
        local turn = redis.call('LLEN', KEYS[3])
        redis.call('HSET', KEYS[2], 'prompt', ARGV[2], 'history', turn, 'next', 0,
                   'owner', ARGV[3], 'leaseUntil', ARGV[4], 'state', 'running')
        redis.call('RPUSH', KEYS[3], ARGV[6])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        return 1
        """;

    // KEYS: session, outbox, run, context
    // ARGV: instance, index, kind, runId, text, final, leaseUntil, cap, sessionTtlMs, dataTtlMs, channel, now, answerTurnJson
    // Allocates the next seq, appends the event and moves the run checkpoint, all or nothing.
    // Returns the seq, -1 when this instance no longer owns the run or the index was already
    // written (another owner took over), -2 when the session is gone.
    public const string AppendRunEvent = """
        local r = redis.call('HMGET', KEYS[3], 'owner', 'next')
        if r[1] ~= ARGV[1] or tonumber(r[2]) ~= tonumber(ARGV[2]) then return -1 end
        if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'expired') == '1' then return -2 end
        local seq = redis.call('HINCRBY', KEYS[1], 'top', 1)
        redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[8], tostring(seq) .. '-0',
                   'k', ARGV[3], 'r', ARGV[4], 'i', ARGV[2], 't', ARGV[5])
        redis.call('HSET', KEYS[3], 'next', tonumber(ARGV[2]) + 1, 'leaseUntil', ARGV[7])
        redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[12])
        if ARGV[6] == '1' then
          redis.call('HSET', KEYS[3], 'state', 'done')
          redis.call('RPUSH', KEYS[4], ARGV[13])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[9])
        redis.call('PEXPIRE', KEYS[2], ARGV[10])
        redis.call('PEXPIRE', KEYS[3], ARGV[10])
        redis.call('PEXPIRE', KEYS[4], ARGV[10])
        redis.call('PUBLISH', ARGV[11], 'e:' .. seq)
        return seq
        """;

    // KEYS: run  ARGV: instance, now, leaseUntil
    // 1: taken over; 0: someone holds a live lease; -1: the run is finished or gone.
    public const string TakeOverRun = """
        local r = redis.call('HMGET', KEYS[1], 'state', 'leaseUntil', 'owner')
        if not r[1] or r[1] == 'done' then return -1 end
        if r[3] ~= ARGV[1] and tonumber(r[2]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'leaseUntil', ARGV[3])
        return 1
        """;

    // KEYS: run  ARGV: instance
    // Graceful shutdown: give the lease back so the next process need not wait for it to lapse.
    public const string ReleaseRun = """
        if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
          redis.call('HSET', KEYS[1], 'leaseUntil', 0)
        end
        return 1
        """;
}
