namespace AspireResilience.Backend.Sessions;

/// <summary>
/// Redis key names. Every key of one session carries the same hash tag (<c>{id}</c>), so each
/// multi-key script stays valid on Redis Cluster; the only keys outside a session's slot are
/// the store-wide epoch, the shards of the index of active runs and each user's reconnect counter
/// and session sets (under the user's own tag), which no script touches together with session keys.
/// </summary>
public static class SessionKeys
{
    public const string Epoch = "resilience:epoch";

    /// <summary>
    /// How many shards the index of active runs has. One set on one node would put every run
    /// start and every process's recovery scan on one Redis Cluster master; each shard has its
    /// own hash tag, so the shards spread over the masters.
    /// </summary>
    public const int ActiveRunShards = 16;

    /// <summary>The index shard a session's runs are listed in (<see cref="ActiveRunShard(string)"/>).</summary>
    public static string ActiveRuns(int shard) => $"resilience:runs:active:{{{shard}}}";

    /// <summary>The index shard of <paramref name="sessionId"/>'s runs: a stable hash (FNV-1a), the same in every process.</summary>
    public static int ActiveRunShard(string sessionId)
    {
        var hash = 2166136261u;
        foreach (var c in sessionId) hash = (hash ^ c) * 16777619u;
        return (int)(hash % ActiveRunShards);
    }

    public static string Session(string id) => $"session:{{{id}}}";
    public static string Outbox(string id) => $"session:{{{id}}}:outbox";
    public static string Context(string id) => $"session:{{{id}}}:context";
    public static string Run(string id, string runId) => $"session:{{{id}}}:run:{runId}";

    /// <summary>Hellos that named the session in the current reconnect window (<c>Gateway:ReconnectWindow</c>).</summary>
    public static string Hellos(string id) => $"session:{{{id}}}:hellos";

    /// <summary>Hellos of one user (token <c>sub</c>) in the current reconnect window; the user's own hash tag.</summary>
    public static string UserHellos(string subject) => $"user:{{{subject}}}:hellos";

    /// <summary>The sessions a user can still resume, scored by last use (<c>Gateway:MaxSessionsPerUser</c>); the user's own hash tag.</summary>
    public static string UserSessions(string subject) => $"user:{{{subject}}}:sessions";

    /// <summary>The user's sessions with a socket attached, scored by the socket's last upkeep (<c>Gateway:MaxConnectionsPerUser</c>).</summary>
    public static string UserLive(string subject) => $"user:{{{subject}}}:live";

    /// <summary>
    /// Sharded pub/sub channel of a session (SSUBSCRIBE/SPUBLISH); its messages are
    /// <see cref="SessionNotification"/>s. Under the session's hash tag: on a cluster it is served
    /// by the master of the session's slot, and the append script can publish on it.
    /// </summary>
    public static string Channel(string id) => $"session:{{{id}}}:notify";

    /// <summary>Member of <see cref="ActiveRuns"/>.</summary>
    public static string RunMember(string sessionId, string runId) => $"{sessionId}/{runId}";

    public static (string SessionId, string RunId)? ParseRunMember(string member)
    {
        var slash = member.IndexOf('/');
        return slash <= 0 || slash == member.Length - 1 ? null : (member[..slash], member[(slash + 1)..]);
    }
}
