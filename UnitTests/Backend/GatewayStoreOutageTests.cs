using AspireResilience.Backend.Gateway;
using AspireResilience.Protocol;
using AspireResilience.UnitTests.Infrastructure;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// A hello while the session store cannot answer is told to try again later (1013): at once
/// while Redis is disconnected, after <see cref="GatewayOptions.HelloAnswerTimeout"/> while it is
/// connected but silent — never a hang into the client's handshake timeout, never 1011.
/// </summary>
[TestClass]
public sealed class GatewayStoreOutageTests : GatewayTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public async Task HelloWhileRedisIsDisconnectedIsToldToTryAgainLaterAtOnce()
    {
        await using var disconnected = await ConnectionMultiplexer.ConnectAsync(
            $"127.0.0.1:{RedisServerProcess.FindFreePort()},abortConnect=false,connectTimeout=200");
        Assert.IsFalse(disconnected.IsConnected);
        var (client, _, _) = Accept(disconnected);

        await client.SendAsync(new HelloMessage(Token()));

        // The fake clock never moves: no timeout is involved, the answer is immediate (queued
        // commands would fail only after the multiplexer's own timeouts, seconds later).
        Assert.AreEqual(CloseCodes.TryAgainLater, await client.ReceiveCloseAsync().WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.AreEqual(0, Registry.Count);
    }

    [TestMethod]
    public async Task HelloWhileRedisDoesNotAnswerIsToldToTryAgainLaterWhenTheBoundRunsOut()
    {
        var (client, _, _) = Accept();
        // Redis holds every command (the gateway's included) for longer than the test runs.
        await Server.ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");

        await client.SendAsync(new HelloMessage(Token()));
        var close = client.ReceiveCloseAsync();
        var advanced = TimeSpan.Zero;
        // The bound runs on the fake clock, started once the hello is read: move the clock on until the answer comes.
        while (!close.IsCompleted && advanced < Gateway.HelloAnswerTimeout * 3)
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
            await Task.WhenAny(close, Task.Delay(10));
        }

        Assert.AreEqual(CloseCodes.TryAgainLater, await close.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.IsGreaterThanOrEqualTo(Gateway.HelloAnswerTimeout, advanced, "answered by the bound, not by Redis");
        Assert.AreEqual(0, Registry.Count);
    }
}
