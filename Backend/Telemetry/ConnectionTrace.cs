using System.Diagnostics;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Telemetry;

/// <summary>
/// The spans of one WebSocket connection: <c>ws.connection</c> (Server) from the accepted socket
/// to the close, and short children beside it. The span starts once the first frame is in (or
/// did not come), back-dated to the accept, with the <c>traceparent</c> of the client's hello as
/// its parent, so a reconnect stays one distributed trace: client.reconnect → ws.connection →
/// session.hello → session.resume.
/// </summary>
public sealed class ConnectionTrace(DateTimeOffset acceptedAt) : IDisposable
{
    public Activity? Connection { get; private set; }

    /// <summary>The socket peer's address, recorded on <c>ws.connection</c>.</summary>
    public string? PeerAddress { get; set; }

    /// <param name="traceparent">From the hello; null when there was no valid hello or it carried none.</param>
    public void Start(string connectionId, string? traceparent)
    {
        if (Connection is not null) return;
        var parent = ActivityContext.TryParse(traceparent, null, isRemote: true, out var remote) ? remote : default;
        // Without a traceparent the connection is a root — explicitly: the current activity is the
        // upgrade request's, which is left out of tracing (unrecorded), and a child of it would be too.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            Connection = BackendTelemetry.Source.StartActivity(SpanNames.WsConnection, ActivityKind.Server, parent, startTime: acceptedAt);
        }
        finally
        {
            Activity.Current = current;
        }
        Connection?.SetTag(SpanAttributes.WsConnectionId, connectionId);
        Connection?.SetTag(SpanAttributes.NetworkPeerAddress, PeerAddress);
    }

    /// <summary>A child of <c>ws.connection</c>, with an explicit parent: callers on a Redis thread have no current activity.</summary>
    public Activity? StartChild(string name) =>
        Connection is null ? null : BackendTelemetry.Source.StartActivity(name, ActivityKind.Internal, Connection.Context);

    /// <summary>
    /// The heartbeat found the peer dead: <c>ws.heartbeat.timeout</c> and how long the peer had
    /// been silent (since its last frame) when it was found — the server's detection time.
    /// </summary>
    public void HeartbeatTimedOut(TimeSpan silence)
    {
        Connection?.SetTag(SpanAttributes.WsHeartbeatTimeout, true);
        Connection?.SetTag(SpanAttributes.WsHeartbeatSilenceMs, (long)silence.TotalMilliseconds);
    }

    /// <summary>Records the close as a short <c>ws.close</c> child and ends the connection span with the same code.</summary>
    public void End(int closeCode, string? sessionId)
    {
        using (var close = StartChild(SpanNames.WsClose))
        {
            close?.SetTag(SpanAttributes.WsCloseCode, closeCode);
            close?.SetTag(SpanAttributes.SessionId, sessionId);
        }
        Connection?.SetTag(SpanAttributes.WsCloseCode, closeCode);
        Connection?.SetTag(SpanAttributes.SessionId, sessionId);
        if (closeCode == CloseCodes.ServerError)
        {
            Connection?.SetStatus(ActivityStatusCode.Error, "internal error");
        }
        Dispose();
    }

    public void Dispose() => Connection?.Dispose();
}
