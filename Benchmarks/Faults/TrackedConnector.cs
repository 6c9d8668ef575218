using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.Benchmarks.Faults;

/// <summary>
/// Opens the client's WebSockets the way <see cref="WebSocketConnector"/> does and remembers the
/// TCP socket of the latest one, so <see cref="TcpKill"/> can destroy exactly that connection. Both
/// our client (<see cref="ResilientSessionOptions.Connector"/>) and SignalR's
/// (<c>HttpConnectionOptions.WebSocketFactory</c>) open their sockets through it.
/// </summary>
internal sealed class TrackedConnector
{
    private Socket? _latest;

    /// <summary>The local end of the latest connection.</summary>
    public IPEndPoint Local => TcpKill.LocalEndPoint(Volatile.Read(ref _latest) ?? throw new InvalidOperationException("nothing connected yet"));

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
