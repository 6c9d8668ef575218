using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using AspireResilience.Backend.Gateway;

namespace AspireResilience.UnitTests.Backend;

/// <summary>How the runtime's keep-alive ends a read when the peer stops answering pings, over a real loopback socket.</summary>
[TestClass]
public sealed class HeartbeatTimeoutTests
{
    [TestMethod]
    public async Task AnUnansweredKeepAlivePingIsRecognised()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var peer = new TcpClient();
        await peer.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        // The peer's socket is open but nobody reads it: no pong ever comes back.
        using var server = WebSocket.CreateFromStream(accepted.GetStream(), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
            KeepAliveTimeout = TimeSpan.FromMilliseconds(200),
        });

        var failure = await Assert.ThrowsAsync<Exception>(() => server.ReceiveAsync(new byte[16].AsMemory(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)), "any exception type");

        Assert.IsTrue(HeartbeatTimeout.Is(server, closeDecided: false), failure.ToString());
        Assert.IsFalse(HeartbeatTimeout.Is(server, closeDecided: true), "after a close the gateway decided, it is that close");
    }

    [TestMethod]
    public async Task APeerThatHangsUpIsNotAHeartbeatTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = new TcpClient();
        await peer.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        using var server = WebSocket.CreateFromStream(accepted.GetStream(), new WebSocketCreationOptions { IsServer = true });
        var read = server.ReceiveAsync(new byte[16].AsMemory(), CancellationToken.None).AsTask();

        peer.Dispose();
        var failure = await Assert.ThrowsAsync<WebSocketException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.IsFalse(HeartbeatTimeout.Is(server, closeDecided: false), failure.ToString());
    }

    [TestMethod]
    public async Task AProtocolViolationIsNotAHeartbeatTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var peer = new TcpClient();
        await peer.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        using var server = WebSocket.CreateFromStream(accepted.GetStream(), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.FromSeconds(30),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        var read = server.ReceiveAsync(new byte[16].AsMemory(), CancellationToken.None).AsTask();

        // A masked, empty text frame with all three reserved bits set: the runtime faults it (and answers 1002).
        await peer.GetStream().WriteAsync(new byte[] { 0xF1, 0x80, 0, 0, 0, 0 });
        var failure = await Assert.ThrowsAsync<WebSocketException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.AreEqual(WebSocketError.Faulted, failure.WebSocketErrorCode, "the same code a keep-alive timeout uses");
        Assert.IsFalse(HeartbeatTimeout.Is(server, closeDecided: false));
    }
}
