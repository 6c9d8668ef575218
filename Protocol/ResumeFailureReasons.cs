namespace AspireResilience.Protocol;

/// <summary>The <c>reason</c> of a <c>welcome</c> with <c>resumed:false</c>.</summary>
public static class ResumeFailureReasons
{
    /// <summary>The server never knew the session (or it was removed long ago).</summary>
    public const string Unknown = "unknown";

    /// <summary>The session existed but its resume window passed; its data is gone.</summary>
    public const string Expired = "expired";

    /// <summary>The session was deleted to make room: its user opened more sessions than the server keeps per user (<c>Gateway:MaxSessionsPerUser</c>).</summary>
    public const string Evicted = "evicted";

    /// <summary>Events the client has not seen were dropped (outbox cap, or acked by a newer connection).</summary>
    public const string Gap = "gap";

    /// <summary>The session store lost its data (e.g. Redis restarted without persistence).</summary>
    public const string Epoch = "epoch";

    /// <summary>v1.1: the client's <c>lastChain</c> differs from the server's chain at <c>lastSeq</c>, or the stored history does not continue it: the two do not share a history to resume.</summary>
    public const string Diverged = "diverged";

    /// <summary>v1.1: the reasons whose <c>welcome</c> is followed by one <c>snapshot</c> frame.</summary>
    public static bool HasSnapshot(string? reason) => reason is Gap or Expired or Epoch or Diverged;
}
