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
    /// Whether the read that failed with <paramref name="exception"/> ended because a keep-alive
    /// ping went unanswered. The runtime then aborts the socket with a <see cref="WebSocketError.Faulted"/>
    /// fault, but the read does not always carry it: under Kestrel the abort also ends the request,
    /// and the read may fail first with the transport's or the request's cancellation. So the
    /// aborted socket is asked: any later read fails at once with the fault as its inner exception
    /// (a peer that hung up or reset leaves none). Never true once the gateway decided a close
    /// (<paramref name="closeDecided"/>: its own abort follows a close that could not be sent).
    /// </summary>
    public static bool Is(Exception exception, WebSocket socket, bool closeDecided) =>
        !closeDecided
        && socket.State == WebSocketState.Aborted
        && (Causes(exception).Any(IsKeepAliveFault) || AbortCause(socket) is { } cause && Causes(cause).Any(IsKeepAliveFault));

    private static bool IsKeepAliveFault(Exception exception) => exception is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted };

    /// <summary>Why an aborted socket was aborted: a read on it fails synchronously, its inner exception is the cause.</summary>
    private static Exception? AbortCause(WebSocket socket)
    {
        var probe = socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask();
        return probe.IsFaulted ? probe.Exception.InnerException?.InnerException : null;
    }

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
