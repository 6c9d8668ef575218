using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace AspireResilience.Client;

/// <summary>
/// Opens WebSockets over a <see cref="NetworkPath"/>: from the OS's choice of local address, or
/// bound to a chosen one (and so to its address family).
/// </summary>
public static class WebSocketConnector
{
    /// <summary>Connects a new <see cref="ClientWebSocket"/> over <paramref name="path"/>.</summary>
    public static async ValueTask<WebSocket> ConnectAsync(NetworkPath path, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await ConnectAsync(socket, path, configureSocket: null, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects <paramref name="webSocket"/> (with whatever options its owner set) over
    /// <paramref name="path"/>. <paramref name="configureSocket"/> may tune the TCP socket before
    /// it connects (buffer sizes, keep-alive); it applies only with a chosen local address.
    /// </summary>
    public static async Task ConnectAsync(ClientWebSocket webSocket, NetworkPath path, Action<Socket>? configureSocket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webSocket);
        ArgumentNullException.ThrowIfNull(path);
        // A 429 or 503 answer names its Retry-After; without the details it would be a bare WebSocketException.
        webSocket.Options.CollectHttpResponseDetails = true;
        try
        {
            if (path.LocalAddress is null && configureSocket is null)
            {
                await webSocket.ConnectAsync(path.Endpoint, cancellationToken);
                return;
            }
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = (context, token) => OpenStreamAsync(context.DnsEndPoint, path.LocalAddress, configureSocket, token),
            };
            // The upgraded connection leaves the handler's pool, so the invoker can go once connected.
            using var invoker = new HttpMessageInvoker(handler);
            await webSocket.ConnectAsync(path.Endpoint, invoker, cancellationToken);
        }
        catch (WebSocketException ex) when (HandshakeRefusedException.IsRefusal(webSocket.HttpStatusCode))
        {
            throw new HandshakeRefusedException(webSocket.HttpStatusCode, HandshakeRefusedException.ParseRetryAfter(webSocket.HttpResponseHeaders), ex);
        }
    }

    private static async ValueTask<Stream> OpenStreamAsync(DnsEndPoint remote, IPAddress? localAddress, Action<Socket>? configureSocket, CancellationToken cancellationToken)
    {
        var family = localAddress?.AddressFamily ?? AddressFamily.Unspecified;
        var addresses = await Dns.GetHostAddressesAsync(remote.Host, family, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.AddressFamilyNotSupported,
                $"{remote.Host} has no {family} address to reach from {localAddress}.");
        }
        // Without a chosen address a dual-mode socket tries every address of the host, as the default connector does.
        var socket = localAddress is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            configureSocket?.Invoke(socket);
            if (localAddress is not null) socket.Bind(new IPEndPoint(localAddress, 0));
            await socket.ConnectAsync(addresses, remote.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
