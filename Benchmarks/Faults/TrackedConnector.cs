using System.Net.Sockets;
using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.Benchmarks.Faults;

/// <summary>
/// Opens the client's WebSockets the way <see cref="WebSocketConnector"/> does and remembers the
/// TCP socket of the latest one, so <see cref="Reset"/> can break exactly that connection. Both
/// our client (<see cref="ResilientSessionOptions.Connector"/>) and SignalR's
/// (<c>HttpConnectionOptions.WebSocketFactory</c>) open their sockets through it.
/// </summary>
internal sealed class TrackedConnector
{
    private Socket? _latest;

    /// <summary>
    /// Resets the latest connection from under its client: the TCP socket closed with a zero
    /// linger, so the kernel sends a RST and the client's pending read fails at once, with no close
    /// frame. Done in-process, so the fault's moment is known to the microsecond (an <c>ss -K</c>
    /// process takes milliseconds to run, and the socket dies somewhere inside them).
    /// </summary>
    public void Reset() => (Volatile.Read(ref _latest) ?? throw new InvalidOperationException("nothing connected yet")).Close(0);

    public async ValueTask<WebSocket> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            Socket? opened = null;
            await WebSocketConnector.ConnectAsync(socket, new NetworkPath(endpoint), s => opened = s, cancellationToken);
            Volatile.Write(ref _latest, opened);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
