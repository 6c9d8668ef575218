using System.Net;
using System.Net.Sockets;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>A bound, listening socket and its accept loop; each accepted socket goes to a callback.</summary>
internal sealed class ProxyListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private ProxyListener(Socket socket, Action<Socket> onAccepted, Action<SocketError> onAcceptFailed)
    {
        _socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(onAccepted, onAcceptFailed, _stop.Token);
    }

    /// <summary>The address actually bound (the real port when port 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Binds and starts accepting; throws <see cref="SocketException"/> when the address is taken.</summary>
    public static ProxyListener Start(IPEndPoint endPoint, Action<Socket> onAccepted, Action<SocketError> onAcceptFailed)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // Re-enabling must get the same port back while old connections sit in TIME_WAIT.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(endPoint);
            socket.Listen(512);
            return new ProxyListener(socket, onAccepted, onAcceptFailed);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Stops accepting and closes the listening socket; clients connecting afterwards are refused.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(Action<Socket> onAccepted, Action<SocketError> onAcceptFailed, CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception)
            {
                // A client that gave up while queued; keep accepting the others.
                onAcceptFailed(exception.SocketErrorCode);
                continue;
            }

            client.NoDelay = true;
            onAccepted(client);
        }
    }
}
