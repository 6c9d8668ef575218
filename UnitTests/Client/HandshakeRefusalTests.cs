using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

/// <summary>
/// A 429 or 503 answer to the upgrade (the Backend's per-address handshake limit, its socket cap)
/// reaches the session with its Retry-After, and the session waits at least that long.
/// </summary>
[TestClass]
public sealed class HandshakeRefusalTests
{
    [TestMethod]
    [DataRow("429 Too Many Requests", HttpStatusCode.TooManyRequests, "3", 3)]
    [DataRow("503 Service Unavailable", HttpStatusCode.ServiceUnavailable, "1", 1)]
    public async Task ARefusedUpgradeCarriesItsStatusAndRetryAfter(string statusLine, HttpStatusCode status, string retryAfter, int seconds)
    {
        using var server = OneAnswerServer.Start($"HTTP/1.1 {statusLine}\r\nRetry-After: {retryAfter}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        var refused = await Assert.ThrowsExactlyAsync<HandshakeRefusedException>(
            async () => await WebSocketConnector.ConnectAsync(new NetworkPath(server.Endpoint), CancellationToken.None));

        Assert.AreEqual(status, refused.StatusCode);
        Assert.IsInstanceOfType<WebSocketException>(refused.InnerException);
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), refused.RetryAfter(DateTimeOffset.UnixEpoch));
    }

    [TestMethod]
    public async Task AnyOtherFailedUpgradeIsAPlainWebSocketException()
    {
        using var server = OneAnswerServer.Start("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        var failed = await Assert.ThrowsExactlyAsync<WebSocketException>(
            async () => await WebSocketConnector.ConnectAsync(new NetworkPath(server.Endpoint), CancellationToken.None));

        Assert.IsNotInstanceOfType<HandshakeRefusedException>(failed);
    }

    [TestMethod]
    public void ADateRetryAfterIsTheTimeLeftUntilThatDate()
    {
        var at = new DateTimeOffset(2026, 11, 30, 12, 0, 10, TimeSpan.Zero);
        var refused = new HandshakeRefusedException(HttpStatusCode.TooManyRequests, new RetryConditionHeaderValue(at), new WebSocketException());

        Assert.AreEqual(TimeSpan.FromSeconds(4), refused.RetryAfter(at.AddSeconds(-4)));
        Assert.AreEqual(TimeSpan.Zero, refused.RetryAfter(at.AddSeconds(1)), "a date already past asks for no wait");
    }

    [TestMethod]
    public void NoRetryAfterAsksForNoFloor() =>
        Assert.IsNull(new HandshakeRefusedException(HttpStatusCode.ServiceUnavailable, null, new WebSocketException()).RetryAfter(DateTimeOffset.UnixEpoch));

    [TestMethod]
    public async Task TheSessionWaitsAtLeastTheRetryAfterBeforeItKnocksAgain()
    {
        var connects = 0;
        using var reconnect = new ClientSpanListener("client.reconnect");
        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = new Uri("ws://test/ws"),
            AccessTokenProvider = (_, _) => ValueTask.FromResult("token"),
            Connector = (_, _) => Interlocked.Increment(ref connects) switch
            {
                1 => ValueTask.FromResult<WebSocket>(new ScriptedServerSocket(ScriptedSession.Welcome(resumed: false), new WebSocketException("dropped"))),
                2 => ValueTask.FromException<WebSocket>(new HandshakeRefusedException(HttpStatusCode.TooManyRequests,
                    new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)), new WebSocketException())),
                _ => ValueTask.FromResult<WebSocket>(new ScriptedServerSocket(ScriptedSession.Welcome(resumed: true), null)),
            },
            ReconnectBaseDelay = TimeSpan.Zero,
        }, CancellationToken.None);

        var span = await reconnect.Stopped.WaitAsync(TimeSpan.FromSeconds(10));

        var backoffs = span.Events.Where(e => e.Name == ClientTelemetry.AttemptEvent)
            .Select(e => Convert.ToDouble(e.Tags.Single(t => t.Key == ClientTelemetry.AttemptBackoffMs).Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        CollectionAssert.AreEqual(new[] { 0d, 1000d }, backoffs, "the knock after the 429 waited its Retry-After; the one before it drew no delay");
        Assert.AreEqual(ActivityStatusCode.Unset, span.Status);
    }

    /// <summary>A TCP listener that answers the first request with a fixed HTTP response.</summary>
    private sealed class OneAnswerServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public Uri Endpoint => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ws");

        public static OneAnswerServer Start(string response)
        {
            var server = new OneAnswerServer();
            server._listener.Start();
            _ = server.AnswerAsync(response);
            return server;
        }

        private async Task AnswerAsync(string response)
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[4096];
            var read = 0;
            // The whole request head, then the answer.
            while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var got = await stream.ReadAsync(request.AsMemory(read));
                if (got == 0) return;
                read += got;
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            client.Client.Shutdown(SocketShutdown.Send);
        }

        public void Dispose() => _listener.Stop();
    }
}
