using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// The server's half of heartbeats is the runtime's keep-alive (<see cref="GatewayOptions.HeartbeatInterval"/>
/// pings, <see cref="GatewayOptions.HeartbeatTimeout"/> for the pong). When a pong is late the
/// runtime aborts the socket and fails the pending read; this tells that abort apart from a
/// peer that hung up, so the connection can say it was the heartbeat that found the dead peer.
/// </summary>
internal static class HeartbeatTimeout
{
    /// <summary>
    /// Whether <paramref name="exception"/> ended a read because a keep-alive ping went unanswered.
    /// The socket is then aborted from inside this process while the gateway had decided no close
    /// (<paramref name="closeDecided"/>: its only own abort follows a close that could not be sent).
    /// The cause reads differently by host: under Kestrel the read fails with the transport's
    /// <see cref="ConnectionAbortedException"/> ("aborted by the application"); over a plain stream
    /// the runtime's <see cref="WebSocketError.Faulted"/> fault is among the causes. A peer that
    /// hangs up or resets gives neither.
    /// </summary>
    public static bool Is(Exception exception, WebSocket socket, bool closeDecided) =>
        !closeDecided
        && socket.State == WebSocketState.Aborted
        && Causes(exception).Any(e => e is ConnectionAbortedException or WebSocketException { WebSocketErrorCode: WebSocketError.Faulted });

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        yield return exception;
        IEnumerable<Exception> inner = exception switch
        {
            AggregateException aggregate => aggregate.InnerExceptions,
            { InnerException: { } one } => [one],
            _ => [],
        };
        foreach (var cause in inner.SelectMany(Causes)) yield return cause;
    }
}
