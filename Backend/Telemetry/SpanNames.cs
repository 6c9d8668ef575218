namespace AspireResilience.Backend.Telemetry;

/// <summary>The backend's span names (docs/architecture.md, Traces).</summary>
public static class SpanNames
{
    /// <summary>One WebSocket connection, from the accepted socket to its close (Server).</summary>
    public const string WsConnection = "ws.connection";

    /// <summary>Token check, attach and welcome; child of <see cref="WsConnection"/>.</summary>
    public const string SessionHello = "session.hello";

    /// <summary>The resume decision; child of <see cref="SessionHello"/>, only when the hello names a session.</summary>
    public const string SessionResume = "session.resume";

    /// <summary>From the welcome to the last replayed event written to the socket; child of <see cref="WsConnection"/>, only when there is something to replay.</summary>
    public const string SessionReplay = "session.replay";
    public const string SessionSuperseded = "session.superseded";

    /// <summary>The token in force was revoked: from noticing it to the 4003 close frame sent; child of <see cref="WsConnection"/>.</summary>
    public const string SessionRevoked = "session.revoked";
    public const string TokenRefresh = "token.refresh";
    public const string WsClose = "ws.close";

    /// <summary>The dashboard's "Drop all connections" on this process: the fault's own timestamp.</summary>
    public const string AdminDropConnections = "admin.drop_connections";
    public const string AgentRun = "agent.run";

    /// <summary>A run adopted after its owner went silent: a root, one trace per recovery.</summary>
    public const string AgentRunRecover = "agent.run.recover";
}
