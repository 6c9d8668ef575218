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
}
