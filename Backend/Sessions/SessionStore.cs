using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.Backend.Sessions;

/// <summary>Session state in Redis: creation, resume, the outbox and acks (DESIGN.md §5).</summary>
public sealed class SessionStore(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, TimeProvider time)
{
    private const int ReadBatch = 256;
    private IDatabase Db => redis.GetDatabase();
    private SessionStoreOptions Options => options.Value;

    /// <summary>The hash outlives the data by one window so a late client hears "expired", not "unknown".</summary>
    private long SessionTtlMs => (long)(Options.ResumeWindow * 2).TotalMilliseconds;
    private long WindowMs => (long)Options.ResumeWindow.TotalMilliseconds;
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static readonly TimeSpan ConnectionPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Waits up to <paramref name="bound"/> for the connection to Redis, which comes back by itself
    /// within about a second of Redis answering again (a restart, a reset link). It polls rather
    /// than queuing a command, so nothing runs on a caller's behalf after it gave up. False when
    /// Redis is still unreachable.
    /// </summary>
    public async Task<bool> WaitUntilConnectedAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (!redis.IsConnected)
        {
            var left = bound - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return false;
            await Task.Delay(left < ConnectionPoll ? left : ConnectionPoll, time, cancellationToken);
        }
        return true;
    }

    /// <summary>
    /// The store's epoch: a random id kept in Redis. When Redis loses its data the key goes with
    /// it and the next caller mints a new one, which tells clients their history is gone.
    /// </summary>
    public async Task<string> GetEpochAsync()
    {
        var epoch = await Db.StringGetAsync(SessionKeys.Epoch);
        if (epoch.HasValue) return epoch.ToString();
        await Db.StringSetAsync(SessionKeys.Epoch, NewId(), when: When.NotExists);
        return (await Db.StringGetAsync(SessionKeys.Epoch)).ToString();
    }

    /// <summary>Creates a session with <paramref name="id"/> (drawn by <see cref="NewId"/>, so never taken) or a new id.</summary>
    public async Task<string> CreateAsync(string owner, string epoch, string connectionId, string? id = null)
    {
        while (true)
        {
            var candidate = id ?? NewId();
            var created = SessionScripts.ParseCreate(await Db.ScriptEvaluateAsync(SessionScripts.Create,
                [SessionKeys.Session(candidate)], [owner, epoch, Now, SessionTtlMs, connectionId]));
            if (created) return candidate;
            if (id is not null) throw new InvalidOperationException("A freshly drawn session id is already taken.");
        }
    }

    /// <param name="lastChain">v1.1: the client's chain at <paramref name="lastSeq"/> (null from a v1 client: not compared).</param>
    public async Task<AttachResult> AttachAsync(string id, string owner, long lastSeq, string connectionId, string? lastChain = null) =>
        SessionScripts.ParseAttach(await Db.ScriptEvaluateAsync(SessionScripts.Attach,
            [SessionKeys.Session(id), SessionKeys.Outbox(id), SessionKeys.Context(id)],
            [owner, lastSeq, Now, WindowMs, connectionId, SessionTtlMs, id, lastChain ?? ""]));

    /// <summary>Announces that <paramref name="connectionId"/> now owns the session, so older connections close with 4000.</summary>
    public Task AnnounceAttachAsync(string id, string connectionId) =>
        redis.GetSubscriber().PublishAsync(RedisChannel.Sharded(SessionKeys.Channel(id)), SessionNotification.Attached(connectionId).Format());

    /// <summary>How often an attached connection calls <see cref="TouchAsync"/>: a quarter of the window, at most a minute.</summary>
    public TimeSpan TouchInterval => TimeSpan.FromTicks(Math.Min(Options.ResumeWindow.Ticks / 4, TimeSpan.FromMinutes(1).Ticks));

    /// <summary>Marks the session as in use by <paramref name="connectionId"/> now; false once another connection owns it.</summary>
    public async Task<bool> TouchAsync(string id, string connectionId) =>
        SessionScripts.ParseTouch(await Db.ScriptEvaluateAsync(SessionScripts.Touch,
            [SessionKeys.Session(id), SessionKeys.Outbox(id), SessionKeys.Context(id)],
            [connectionId, Now, SessionTtlMs, WindowMs]));

    /// <summary>Detaches <paramref name="connectionId"/>, so the resume window starts now; false when it no longer owned the session.</summary>
    public async Task<bool> DetachAsync(string id, string connectionId) =>
        SessionScripts.ParseDetach(await Db.ScriptEvaluateAsync(SessionScripts.Detach, [SessionKeys.Session(id)], [connectionId, Now]));

    /// <summary>Deletes a detached session's data for its owner's session cap; a late resume hears <c>evicted</c>.</summary>
    public Task EvictAsync(string id) =>
        Db.ScriptEvaluateAsync(SessionScripts.Evict, [SessionKeys.Session(id), SessionKeys.Outbox(id), SessionKeys.Context(id)]);

    /// <summary>Trims the outbox up to <paramref name="seq"/>, if <paramref name="connectionId"/> still owns the session.</summary>
    public async Task<AckResult> AckAsync(string id, string connectionId, long seq) =>
        SessionScripts.ParseAck(await Db.ScriptEvaluateAsync(SessionScripts.Ack,
            [SessionKeys.Session(id), SessionKeys.Outbox(id)], [seq, Now, connectionId]));

    /// <summary>Reads up to one batch of events with <c>seq ≥ fromSeq</c>, in order.</summary>
    public async Task<IReadOnlyList<OutboxEvent>> ReadAsync(string id, long fromSeq)
    {
        var entries = await Db.StreamRangeAsync(SessionKeys.Outbox(id), $"{fromSeq}-0", "+", ReadBatch);
        var events = new List<OutboxEvent>(entries.Length);
        foreach (var entry in entries)
        {
            var idText = entry.Id.ToString();
            events.Add(new OutboxEvent(
                long.Parse(idText.AsSpan(0, idText.IndexOf('-'))),
                entry["k"].ToString(),
                entry["r"].IsNullOrEmpty ? null : entry["r"].ToString(),
                (int)entry["i"],
                entry["t"].ToString(),
                entry["c"].IsNullOrEmpty ? null : entry["c"].ToString()));
        }
        return events;
    }

    /// <summary>The session's context (prompts and completed answers, oldest first) as the store still holds it; empty when it holds none.</summary>
    public async Task<IReadOnlyList<Protocol.SnapshotTurn>> ReadContextAsync(string id) =>
        (await Db.ListRangeAsync(SessionKeys.Context(id))).Select(v => SessionSnapshot.ParseTurn(v.ToString())).OfType<Protocol.SnapshotTurn>().ToArray();

    public static string NewId() => Base64Url(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
