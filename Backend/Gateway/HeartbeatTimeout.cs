using System.Net.WebSockets;

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
    /// Whether the read that just failed ended because a keep-alive ping went unanswered. The read's
    /// own exception cannot tell: under Kestrel the abort also ends the request, so the read may
    /// fail with the transport's or the request's cancellation, and a protocol violation fails it
    /// with the same <see cref="WebSocketError.Faulted"/> code a keep-alive timeout uses. The aborted
    /// socket can: any later read fails at once with the keep-alive fault as its inner exception,
    /// and with none after a protocol violation or a peer that hung up. Never true once the
    /// gateway decided a close (<paramref name="closeDecided"/>: its own abort follows a close
    /// that could not be sent).
    /// </summary>
    public static bool Is(WebSocket socket, bool closeDecided) =>
        !closeDecided
        && socket.State == WebSocketState.Aborted
        && AbortCause(socket) is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted };

    /// <summary>Why an aborted socket was aborted: a read on it fails synchronously, its inner exception is the cause.</summary>
    private static Exception? AbortCause(WebSocket socket)
    {
        var probe = socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask();
        return probe.IsFaulted ? probe.Exception.InnerException?.InnerException : null;
    }
}
