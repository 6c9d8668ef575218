using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// The Backend's socket-level caps on real Kestrel: upgraded connections per process and
/// handshakes per remote address. On main neither existed: every upgrade was accepted.
/// </summary>
[TestClass]
public sealed class ConnectionLimitTests : RedisStoreTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public async Task AnUpgradePastTheConnectionCapIsRefusedUntilASocketCloses()
    {
        await using var backend = await BackendHost.StartAsync(Endpoint, new()
        {
            ["Connections:MaxUpgradedConnections"] = "2",
            ["Connections:HandshakesPerSecondPerAddress"] = "0",
            // Sockets that send no hello stay open for the test's length.
            ["Gateway:HelloTimeout"] = "00:01:00",
        });
        using var first = await ConnectAsync(backend.WebSocketUri);
        using var second = await ConnectAsync(backend.WebSocketUri);

        var refused = await RefusedStatusAsync(backend.WebSocketUri);
        first.Abort();
        using var afterClose = await ConnectWhenAcceptedAsync(backend.WebSocketUri);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, refused, $"refused with {refused}");
        Assert.AreEqual(WebSocketState.Open, afterClose.State);
    }

    [TestMethod]
    public async Task HandshakesPastAnAddressBurstAre429WhileAnotherAddressIsServed()
    {
        await using var backend = await BackendHost.StartAsync(Endpoint, new()
        {
            ["Connections:HandshakeBurstPerAddress"] = "3",
            ["Connections:HandshakesPerSecondPerAddress"] = "1",
        });
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await ConnectAsync(backend.WebSocketUri);
        }

        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        using var refusedSocket = new ClientWebSocket();
        refusedSocket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refusedSocket.ConnectAsync(backend.WebSocketUri, invoker, Token()));
        using var fromElsewhere = await ConnectAsync(backend.WebSocketUri, IPAddress.Parse("127.0.0.2"));

        Assert.AreEqual(HttpStatusCode.TooManyRequests, refusedSocket.HttpStatusCode);
        Assert.IsTrue(refusedSocket.HttpResponseHeaders!.ContainsKey("Retry-After"), "the answer says when to come back");
        Assert.AreEqual(WebSocketState.Open, fromElsewhere.State, "the limit is per address");
    }

    [TestMethod]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var defaults = new AspireResilience.Backend.Limits.ConnectionLimitOptions();

        Assert.AreEqual(10_000, defaults.MaxUpgradedConnections);
        Assert.AreEqual(20, defaults.HandshakesPerSecondPerAddress);
        Assert.AreEqual(100, defaults.HandshakeBurstPerAddress);
    }

    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    private static async Task<ClientWebSocket> ConnectAsync(Uri uri, IPAddress? from = null)
    {
        var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(Handler(from));
        await socket.ConnectAsync(uri, invoker, Token());
        return socket;
    }

    private static async Task<HttpStatusCode> RefusedStatusAsync(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var invoker = new HttpMessageInvoker(Handler(null));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, invoker, Token()));
        return socket.HttpStatusCode;
    }

    // The server releases a closed socket's slot when its handler ends: wait for that, within a timeout.
    private static async Task<ClientWebSocket> ConnectWhenAcceptedAsync(Uri uri)
    {
        var deadline = Token();
        while (true)
        {
            try
            {
                return await ConnectAsync(uri);
            }
            catch (WebSocketException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(20, deadline);
            }
        }
    }

    private static SocketsHttpHandler Handler(IPAddress? from) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            if (from is not null) socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };
}
