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
        // The peer's socket is open but nobody reads it: no pong ever comes back.
        await using var loopback = await Loopback.OpenAsync(keepAlive: TimeSpan.FromMilliseconds(200));
        var failure = await Assert.ThrowsAsync<Exception>(() => loopback.Read.WaitAsync(TimeSpan.FromSeconds(10)), "any exception type");

        Assert.IsTrue(HeartbeatTimeout.Is(loopback.Server, closeDecided: false), failure.ToString());
        Assert.IsFalse(HeartbeatTimeout.Is(loopback.Server, closeDecided: true), "after a close the gateway decided, it is that close");
    }

    [TestMethod]
    public async Task APeerThatHangsUpIsNotAHeartbeatTimeout()
    {
        await using var loopback = await Loopback.OpenAsync(keepAlive: TimeSpan.FromSeconds(30));
        loopback.Peer.Dispose();
        var failure = await Assert.ThrowsAsync<WebSocketException>(() => loopback.Read.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.IsFalse(HeartbeatTimeout.Is(loopback.Server, closeDecided: false), failure.ToString());
    }

    [TestMethod]
    public async Task AProtocolViolationIsNotAHeartbeatTimeout()
    {
        await using var loopback = await Loopback.OpenAsync(keepAlive: TimeSpan.FromSeconds(30));
        // A masked, empty text frame with all three reserved bits set: the runtime faults it (and answers 1002).
        await loopback.Peer.GetStream().WriteAsync(new byte[] { 0xF1, 0x80, 0, 0, 0, 0 });
        var failure = await Assert.ThrowsAsync<WebSocketException>(() => loopback.Read.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.AreEqual(WebSocketError.Faulted, failure.WebSocketErrorCode, "the same code a keep-alive timeout uses");
        Assert.IsFalse(HeartbeatTimeout.Is(loopback.Server, closeDecided: false));
    }

    /// <summary>A server WebSocket over loopback TCP with a read pending, and the raw peer socket.</summary>
    private sealed record Loopback(TcpListener Listener, TcpClient Peer, TcpClient Accepted, WebSocket Server, Task Read) : IAsyncDisposable
    {
        public static async Task<Loopback> OpenAsync(TimeSpan keepAlive)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var peer = new TcpClient();
            await peer.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var accepted = await listener.AcceptTcpClientAsync();
            var server = WebSocket.CreateFromStream(accepted.GetStream(), new WebSocketCreationOptions
            {
                IsServer = true,
                KeepAliveInterval = keepAlive,
                KeepAliveTimeout = keepAlive,
            });
            return new Loopback(listener, peer, accepted, server, server.ReceiveAsync(new byte[16].AsMemory(), CancellationToken.None).AsTask());
        }

        public ValueTask DisposeAsync()
        {
            Server.Dispose();
            Accepted.Dispose();
            Peer.Dispose();
            Listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
