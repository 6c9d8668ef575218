using AspireResilience.Backend.Gateway;
using AspireResilience.Protocol;
using AspireResilience.UnitTests.Infrastructure;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// A hello while the session store cannot answer is told to try again later (1013) once
/// <see cref="GatewayOptions.HelloAnswerTimeout"/> runs out — never a hang into the client's
/// handshake timeout, never 1011 — while a reconnect shorter than that is ridden out.
/// </summary>
[TestClass]
public sealed class GatewayStoreOutageTests : GatewayTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public async Task HelloWhileRedisStaysDisconnectedIsToldToTryAgainLaterWhenTheBoundRunsOut()
    {
        await using var disconnected = await Disconnected(RedisServerProcess.FindFreePort());
        var (client, _, _) = Accept(disconnected);

        await client.SendAsync(new HelloMessage(Token()));

        var (code, advanced) = await AdvanceUntilClosedAsync(client);
        Assert.AreEqual(CloseCodes.TryAgainLater, code);
        Assert.IsGreaterThanOrEqualTo(Gateway.HelloAnswerTimeout, advanced, "the reconnect was given its chance first");
        Assert.AreEqual(0, Registry.Count);
    }

    [TestMethod]
    public async Task HelloDuringAReconnectIsWelcomedOnceRedisIsBack()
    {
        var port = RedisServerProcess.FindFreePort();
        await using var reconnecting = await Disconnected(port);
        var (client, _, run) = Accept(reconnecting);
        await client.SendAsync(new HelloMessage(Token()));

        // Redis comes back; the multiplexer reconnects by itself (on its heartbeat, real time).
        await using var redis = await RedisServerProcess.StartAsync(port: port);
        using (var reconnected = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (!reconnecting.IsConnected) await Task.Delay(20, reconnected.Token);
        }
        Time.Advance(TimeSpan.FromMilliseconds(100)); // the handshake's next look, well inside the bound

        var welcome = await client.ReceiveAsync<WelcomeMessage>();
        Assert.IsFalse(welcome.Resumed);
        Assert.AreEqual(1, Registry.Count);
        // Done with this multiplexer before it is disposed: the connection detaches through it.
        await client.CloseAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [TestMethod]
    public async Task HelloWhileRedisDoesNotAnswerIsToldToTryAgainLaterWhenTheBoundRunsOut()
    {
        var (client, _, _) = Accept();
        // Connected, but Redis holds every command (the gateway's included) for longer than the test runs.
        await Server.ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");

        await client.SendAsync(new HelloMessage(Token()));

        var (code, advanced) = await AdvanceUntilClosedAsync(client);
        Assert.AreEqual(CloseCodes.TryAgainLater, code);
        Assert.IsGreaterThanOrEqualTo(Gateway.HelloAnswerTimeout, advanced, "answered by the bound, not by Redis");
        Assert.AreEqual(0, Registry.Count);
    }

    /// <summary>A multiplexer pointed at <paramref name="port"/> where nothing listens (yet): it keeps reconnecting.</summary>
    private static async Task<ConnectionMultiplexer> Disconnected(int port)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},abortConnect=false,connectTimeout=200");
        Assert.IsFalse(multiplexer.IsConnected);
        return multiplexer;
    }

    /// <summary>
    /// The bound runs on the fake clock from when the hello is read: moves the clock on in small
    /// steps until the server closes. Returns the close code and how far the clock moved.
    /// </summary>
    private async Task<(int Code, TimeSpan Advanced)> AdvanceUntilClosedAsync(TestClientSocket client)
    {
        var close = client.ReceiveCloseAsync();
        var advanced = TimeSpan.Zero;
        while (!close.IsCompleted && advanced < Gateway.HelloAnswerTimeout * 3)
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
            await Task.WhenAny(close, Task.Delay(10));
        }
        return (await close.WaitAsync(TimeSpan.FromSeconds(1)), advanced);
    }
}
