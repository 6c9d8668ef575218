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

        Assert.IsTrue(HeartbeatTimeout.Is(failure, server, closeDecided: false), failure.ToString());
        // Under Kestrel the read may instead fail with the request's cancellation: the socket still knows.
        Assert.IsTrue(HeartbeatTimeout.Is(new OperationCanceledException(), server, closeDecided: false));
        Assert.IsFalse(HeartbeatTimeout.Is(failure, server, closeDecided: true), "after a close the gateway decided, it is that close");
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

        Assert.IsFalse(HeartbeatTimeout.Is(failure, server, closeDecided: false));
        Assert.IsFalse(HeartbeatTimeout.Is(new OperationCanceledException(), server, closeDecided: false));
    }
}
