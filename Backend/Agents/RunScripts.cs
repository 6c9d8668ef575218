using AspireResilience.Backend.Sessions;
using StackExchange.Redis;

namespace AspireResilience.Backend.Agents;

/// <summary>
/// The Lua scripts of agent runs, each beside the one parser of its reply. A run's checkpoint
/// lives under its session's hash tag, so the session, its outbox and the run change in one
/// atomic script; a process that dies between two chunks leaves both or neither.
/// </summary>
internal static class RunScripts
{
    // KEYS: session, run, context
    // ARGV: owner, prompt, instance, leaseUntil, dataTtlMs, userTurnJson, maxRuns, contextTurns, connectionId
    // A run id is an idempotency key: an existing run answers 'duplicate' whatever its state.
    // Only the attached connection starts runs: a superseded socket's late prompt changes nothing.
    // The session's 'running' count bounds its runs in flight ('busy'); the context keeps its
    // last contextTurns turns, so what a run is given (and Redis holds) stays bounded.
    public const string StartRun = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return {'duplicate'} end
        local s = redis.call('HMGET', KEYS[1], 'owner', 'conn', 'running')
        if s[1] ~= ARGV[1] then return {'gone'} end
        if s[2] ~= ARGV[9] then return {'superseded'} end
        if tonumber(s[3] or '0') >= tonumber(ARGV[7]) then return {'busy'} end
        local turn = redis.call('LLEN', KEYS[3])
        redis.call('HSET', KEYS[2], 'prompt', ARGV[2], 'history', turn, 'next', 0,
                   'owner', ARGV[3], 'leaseUntil', ARGV[4], 'state', 'running')
        redis.call('HINCRBY', KEYS[1], 'running', 1)
        redis.call('RPUSH', KEYS[3], ARGV[6])
        redis.call('LTRIM', KEYS[3], -tonumber(ARGV[8]), -1)
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        return {'started'}
        """;

    public static StartRunResult ParseStartRun(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "started" => StartRunResult.Started,
        "duplicate" => StartRunResult.Duplicate,
        "gone" => StartRunResult.SessionGone,
        "superseded" => StartRunResult.Superseded,
        "busy" => StartRunResult.TooManyRuns,
        _ => throw ScriptReply.Unexpected(nameof(StartRun), reply),
    };

    // KEYS: session, outbox, run, context
    // ARGV: instance, index, kind, runId, text, final, leaseUntil, cap, sessionTtlMs, dataTtlMs,
    //       channel, now, answerTurnJson, appendedPrefix, contextTurns, sessionId
    // Allocates the next seq, appends the event with its chain (v1.1), moves the run checkpoint
    // and announces the seq on the session's sharded channel (same hash tag, so same slot), all or nothing. 'lease_lost' when this instance no longer owns the
    // run or the index was already written (another owner took over); 'gone' when the session is
    // gone. The chain is computed here, once, and stored: a send never recomputes it. When the cap
    // drops the oldest entry, its chain becomes the session's base (see ChainLua.chain_at).
    public const string AppendRunEvent = ChainLua.Functions + """
        local r = redis.call('HMGET', KEYS[3], 'owner', 'next')
        if r[1] ~= ARGV[1] or tonumber(r[2]) ~= tonumber(ARGV[2]) then return {'lease_lost'} end
        if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'expired') == '1' then return {'gone'} end
        local seq = redis.call('HINCRBY', KEYS[1], 'top', 1)
        local len = redis.call('XLEN', KEYS[2])
        if len >= tonumber(ARGV[8]) then
          local dropped = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', len - tonumber(ARGV[8]) + 1)
          local d = dropped[#dropped]
          redis.call('HSET', KEYS[1], 'baseSeq', string.match(d[1], '^(%d+)'), 'baseChain', chain_entry(d[2])['c'] or '')
        end
        local chain = chain_digest(redis.call('HGET', KEYS[1], 'chain') or chain_genesis(ARGV[16]), seq, ARGV[3], ARGV[4], ARGV[2], ARGV[5])
        redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[8], tostring(seq) .. '-0',
                   'k', ARGV[3], 'r', ARGV[4], 'i', ARGV[2], 't', ARGV[5], 'c', chain)
        redis.call('HSET', KEYS[3], 'next', tonumber(ARGV[2]) + 1, 'leaseUntil', ARGV[7])
        redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[12], 'chain', chain)
        if ARGV[6] == '1' then
          redis.call('HSET', KEYS[3], 'state', 'done')
          redis.call('RPUSH', KEYS[4], ARGV[13])
          redis.call('LTRIM', KEYS[4], -tonumber(ARGV[15]), -1)
          if tonumber(redis.call('HGET', KEYS[1], 'running') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'running', -1) end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[9])
        redis.call('PEXPIRE', KEYS[2], ARGV[10])
        redis.call('PEXPIRE', KEYS[3], ARGV[10])
        redis.call('PEXPIRE', KEYS[4], ARGV[10])
        redis.call('SPUBLISH', ARGV[11], ARGV[14] .. seq)
        return {'ok', seq}
        """;

    public static AppendResult ParseAppendRunEvent(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "ok" => new AppendResult(AppendStatus.Appended, ScriptReply.Number(reply, 1)),
        "lease_lost" => new AppendResult(AppendStatus.LeaseLost),
        "gone" => new AppendResult(AppendStatus.SessionGone),
        _ => throw ScriptReply.Unexpected(nameof(AppendRunEvent), reply),
    };

    // KEYS: run  ARGV: instance, now, leaseUntil
    public const string TakeOverRun = """
        local r = redis.call('HMGET', KEYS[1], 'state', 'leaseUntil')
        if not r[1] or r[1] == 'done' then return {'finished'} end
        if tonumber(r[2]) >= tonumber(ARGV[2]) then return {'leased'} end
        redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'leaseUntil', ARGV[3])
        return {'taken'}
        """;

    public static TakeOverResult ParseTakeOverRun(RedisResult reply) => ScriptReply.Status(reply) switch
    {
        "taken" => TakeOverResult.TakenOver,
        "leased" => TakeOverResult.LeasedElsewhere,
        "finished" => TakeOverResult.FinishedOrGone,
        _ => throw ScriptReply.Unexpected(nameof(TakeOverRun), reply),
    };

    // KEYS: run  ARGV: instance
    // Graceful shutdown: give the lease back so the next process need not wait for it to lapse.
    // Nobody acts on the answer: a lease held by someone else is theirs to keep.
    public const string ReleaseRun = """
        if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
          redis.call('HSET', KEYS[1], 'leaseUntil', 0)
        end
        return {'ok'}
        """;
}
