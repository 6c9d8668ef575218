namespace AspireResilience.Backend.Telemetry;

/// <summary>
/// The backend's span attribute names. OpenTelemetry semantic-convention names where one exists
/// (<c>session.id</c>, <c>error.type</c>), otherwise namespaced by what they describe.
/// </summary>
public static class SpanAttributes
{
    public const string SessionId = "session.id";
    public const string SessionResumed = "session.resumed";
    public const string SessionReplayCount = "session.replay.count";
    public const string SessionResumeReason = "session.resume.reason";

    /// <summary>On <c>session.hello</c>: sessions of the user evicted to make room for the new one (<c>Gateway:MaxSessionsPerUser</c>).</summary>
    public const string SessionsEvicted = "session.evicted_count";

    /// <summary>v1.1: turns in the <c>snapshot</c> sent after a failed resume.</summary>
    public const string SessionSnapshotTurns = "session.snapshot.turns";
    /// <summary>The socket peer's address (semantic convention): shows from which network a client came back.</summary>
    public const string NetworkPeerAddress = "network.peer.address";
    public const string WsConnectionId = "ws.connection.id";
    public const string WsCloseCode = "ws.close.code";

    /// <summary>How a revocation reached the connection: <c>pubsub</c> (the AuthService's message) or <c>check</c> (the connection's own re-check).</summary>
    public const string RevocationSource = "revocation.source";

    /// <summary>On <c>ws.connection</c>: true when the heartbeat found the peer dead (no pong in time).</summary>
    public const string WsHeartbeatTimeout = "ws.heartbeat.timeout";

    /// <summary>On <c>ws.connection</c>: milliseconds from the peer's last frame to the heartbeat's verdict.</summary>
    public const string WsHeartbeatSilenceMs = "ws.heartbeat.silence_ms";
    public const string AgentRunId = "agent.run.id";
    public const string AgentRunResumedAtIndex = "agent.run.resumed_at_index";
    public const string AgentRunAbandoned = "agent.run.abandoned";

    /// <summary>Why an operation failed, low-cardinality (here: the <c>TokenFailure</c> of a rejected token).</summary>
    public const string ErrorType = "error.type";

    /// <summary>On <c>ws.connection</c>: dropped by the admin API ("Drop all connections"), not by the network.</summary>
    public const string WsDropped = "ws.dropped";

    /// <summary>On <c>admin.drop_connections</c>: how many sockets it dropped.</summary>
    public const string AdminDroppedCount = "admin.dropped_count";
}
