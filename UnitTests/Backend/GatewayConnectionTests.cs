using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Backend;

/// <summary>A connection from the first frame to its close code, over an in-memory socket pair.</summary>
[TestClass]
public sealed class GatewayConnectionTests : GatewayTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public async Task HelloWithoutASessionIsWelcomedToANewOne()
    {
        var (_, welcome) = await ConnectAsync();

        Assert.IsFalse(welcome.Resumed);
        Assert.IsNull(welcome.Reason);
        Assert.AreEqual(0, welcome.ReplayCount);
        Assert.AreEqual(1, Registry.Count);
    }

    [TestMethod]
    public async Task PromptIsAnsweredAsEventsInSeqOrder()
    {
        var (client, _) = await ConnectAsync();

        await client.SendAsync(new PromptMessage("p1", "what is a lease?"));

        var kinds = new List<string>();
        for (var seq = 1; seq <= 4; seq++)
        {
            var e = await client.ReceiveAsync<EventMessage>();
            Assert.AreEqual(seq, e.Seq);
            Assert.AreEqual("p1", e.RunId);
            kinds.Add(e.Kind);
        }
        CollectionAssert.AreEqual(new[] { EventKinds.StreamStart, EventKinds.StreamChunk, EventKinds.StreamChunk, EventKinds.StreamEnd }, kinds);
    }

    [TestMethod]
    public async Task ResumeReplaysWhatTheClientMissedAndSupersedesTheOldConnection()
    {
        var (first, welcome) = await ConnectAsync();
        await first.SendAsync(new PromptMessage("p1", "hello"));
        for (var seq = 1; seq <= 4; seq++) await first.ReceiveAsync<EventMessage>();

        var (second, resumed) = await ConnectAsync(new HelloMessage(Token(), welcome.SessionId, LastSeq: 2, welcome.Epoch));

        Assert.IsTrue(resumed.Resumed);
        Assert.AreEqual(2, resumed.ReplayCount);
        Assert.AreEqual(3, (await second.ReceiveAsync<EventMessage>()).Seq);
        Assert.AreEqual(4, (await second.ReceiveAsync<EventMessage>()).Seq);
        Assert.AreEqual(CloseCodes.Superseded, await first.ReceiveCloseAsync());
    }

    [TestMethod]
    public async Task NoHelloInTimeClosesWith4008()
    {
        var (client, _, _) = Accept();

        Time.Advance(Gateway.HelloTimeout);

        Assert.AreEqual(CloseCodes.HelloTimeout, await client.ReceiveCloseAsync());
        Assert.AreEqual(0, Registry.Count);
    }

    [TestMethod]
    public async Task FirstFrameThatIsNotAHelloClosesWith4400()
    {
        var (client, _, _) = Accept();

        await client.SendAsync(new PingMessage(1));

        Assert.AreEqual(CloseCodes.MalformedHello, await client.ReceiveCloseAsync());
    }

    [TestMethod]
    public async Task ExpiredTokenClosesWith4001AndAForeignOneWith4003()
    {
        var (expired, _, _) = Accept();
        await expired.SendAsync(new HelloMessage(Token(lifetime: TimeSpan.FromMinutes(-1))));
        Assert.AreEqual(CloseCodes.TokenExpired, await expired.ReceiveCloseAsync());

        var (_, welcome) = await ConnectAsync();
        var (foreign, _, _) = Accept();
        await foreign.SendAsync(new HelloMessage(Token("mallory"), welcome.SessionId, 0, welcome.Epoch));
        Assert.AreEqual(CloseCodes.Forbidden, await foreign.ReceiveCloseAsync());
    }

    [TestMethod]
    public async Task ShutdownClosesLiveConnectionsWith1001()
    {
        var (client, _) = await ConnectAsync();

        Lifetime.StopApplication();

        Assert.AreEqual(CloseCodes.GoingAway, await client.ReceiveCloseAsync());
    }
}
