using System.Diagnostics;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// The shape of a connection's trace (docs/architecture.md, Traces): one ws.connection span with
/// short children, joined to the client's trace by the traceparent of its hello.
/// </summary>
[TestClass]
public sealed class GatewayTraceTests : GatewayTestBase
{
    private readonly SpanCollector _spans = new();

    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestCleanup]
    public void StopCollecting() => _spans.Dispose();

    [TestMethod]
    public async Task ReconnectIsOneTraceFromTheClientsSpanThroughHelloToResume()
    {
        var (first, welcome) = await ConnectAsync();
        var clientSpan = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        var (second, resumed) = await ConnectAsync(new HelloMessage(Token(), welcome.SessionId, 0, welcome.Epoch, Traceparent(clientSpan)));
        await second.CloseAsync();

        var connection = await _spans.WaitForAsync(SpanNames.WsConnection, a => Equals(Tag(a, SpanAttributes.SessionId), welcome.SessionId) && a.ParentSpanId == clientSpan.SpanId);
        var hello = await _spans.WaitForAsync(SpanNames.SessionHello, a => a.ParentSpanId == connection.SpanId);
        var resume = await _spans.WaitForAsync(SpanNames.SessionResume, a => a.ParentSpanId == hello.SpanId);
        var close = await _spans.WaitForAsync(SpanNames.WsClose, a => a.ParentSpanId == connection.SpanId);
        Assert.IsTrue(resumed.Resumed);
        Assert.AreEqual(clientSpan.TraceId, connection.TraceId);
        Assert.AreEqual(ActivityKind.Server, connection.Kind);
        Assert.AreEqual(true, Tag(hello, SpanAttributes.SessionResumed));
        Assert.AreEqual(true, Tag(resume, SpanAttributes.SessionResumed));
        Assert.AreEqual(0L, Tag(resume, SpanAttributes.SessionReplayCount));
        Assert.AreEqual(CloseCodes.Normal, Tag(close, SpanAttributes.WsCloseCode));
        Assert.AreEqual(CloseCodes.Normal, Tag(connection, SpanAttributes.WsCloseCode));
        Assert.AreEqual(Time.GetUtcNow().UtcDateTime, connection.StartTimeUtc, "ws.connection starts at the accept (on the injected clock), not at the hello");

        // The older connection learnt of the newer on a Redis thread, yet its span has a parent.
        Assert.AreEqual(CloseCodes.Superseded, await first.ReceiveCloseAsync());
        var superseded = await _spans.WaitForAsync(SpanNames.SessionSuperseded);
        var firstConnection = await _spans.WaitForAsync(SpanNames.WsConnection, a => a.SpanId == superseded.ParentSpanId);
        Assert.AreEqual(CloseCodes.Superseded, Tag(firstConnection, SpanAttributes.WsCloseCode));
    }

    [TestMethod]
    public async Task ConnectionWithoutATraceparentIsARootNotAChildOfTheUpgradeRequest()
    {
        // The upgrade request's HTTP activity: current while the socket runs, filtered out of tracing.
        using var upgrade = new Activity("GET /ws").Start();
        upgrade.ActivityTraceFlags = ActivityTraceFlags.None;
        var (client, welcome) = await ConnectAsync();
        upgrade.Stop();
        await client.CloseAsync();

        var connection = await _spans.WaitForAsync(SpanNames.WsConnection, a => Equals(Tag(a, SpanAttributes.SessionId), welcome.SessionId));
        Assert.AreEqual(default, connection.ParentSpanId);
        Assert.AreNotEqual(upgrade.TraceId, connection.TraceId);
        Assert.IsNotNull(Tag(connection, SpanAttributes.WsConnectionId));
    }

    [TestMethod]
    public async Task PromptedRunIsAChildOfTheConnection()
    {
        var (client, welcome) = await ConnectAsync();

        await client.SendAsync(new PromptMessage("p1", "hello"));
        for (var seq = 1; seq <= 4; seq++) await client.ReceiveAsync<EventMessage>();
        await client.CloseAsync();

        var run = await _spans.WaitForAsync(SpanNames.AgentRun);
        var connection = await _spans.WaitForAsync(SpanNames.WsConnection, a => Equals(Tag(a, SpanAttributes.SessionId), welcome.SessionId));
        Assert.AreEqual(connection.SpanId, run.ParentSpanId);
        Assert.AreEqual("p1", Tag(run, SpanAttributes.AgentRunId));
        Assert.AreEqual(0, Tag(run, SpanAttributes.AgentRunResumedAtIndex));
    }

    [TestMethod]
    public async Task RefreshIsAChildOfTheConnectionAndARejectedOneIsAnError()
    {
        var (client, welcome) = await ConnectAsync();

        await client.SendAsync(new RefreshMessage("not-a-token"));
        Assert.AreEqual(ErrorCodes.InvalidToken, (await client.ReceiveAsync<ErrorMessage>()).Code);
        await client.SendAsync(new RefreshMessage(Token()));
        await client.ReceiveAsync<RefreshedMessage>();
        await client.CloseAsync();

        var connection = await _spans.WaitForAsync(SpanNames.WsConnection, a => Equals(Tag(a, SpanAttributes.SessionId), welcome.SessionId));
        var refreshes = _spans.Ended(SpanNames.TokenRefresh);
        Assert.HasCount(2, refreshes);
        Assert.IsTrue(refreshes.All(r => r.ParentSpanId == connection.SpanId));
        Assert.AreEqual(ActivityStatusCode.Error, refreshes[0].Status);
        Assert.AreEqual("Invalid", Tag(refreshes[0], SpanAttributes.ErrorType));
        Assert.AreEqual(ActivityStatusCode.Unset, refreshes[1].Status);
        Assert.IsNull(Tag(refreshes[1], SpanAttributes.ErrorType));
    }

    [TestMethod]
    public async Task RejectedTokenMarksTheHelloAsAnError()
    {
        var (client, _, _) = Accept();

        await client.SendAsync(new HelloMessage(Token(lifetime: TimeSpan.FromMinutes(-1))));

        Assert.AreEqual(CloseCodes.TokenExpired, await client.ReceiveCloseAsync());
        var hello = await _spans.WaitForAsync(SpanNames.SessionHello);
        var connection = await _spans.WaitForAsync(SpanNames.WsConnection, a => a.SpanId == hello.ParentSpanId);
        Assert.AreEqual(ActivityStatusCode.Error, hello.Status);
        Assert.AreEqual("Expired", Tag(hello, SpanAttributes.ErrorType));
        Assert.AreEqual(CloseCodes.TokenExpired, Tag(connection, SpanAttributes.WsCloseCode));
        Assert.HasCount(0, _spans.Ended(SpanNames.SessionResume));
    }

    [TestMethod]
    public async Task NoHelloInTimeIsStillOneConnectionSpan()
    {
        var (client, _, _) = Accept();

        Time.Advance(Gateway.HelloTimeout);

        Assert.AreEqual(CloseCodes.HelloTimeout, await client.ReceiveCloseAsync());
        var connection = await _spans.WaitForAsync(SpanNames.WsConnection);
        Assert.AreEqual(CloseCodes.HelloTimeout, Tag(connection, SpanAttributes.WsCloseCode));
        Assert.HasCount(0, _spans.Ended(SpanNames.SessionHello));
    }

    private static string Traceparent(ActivityContext context) => $"00-{context.TraceId}-{context.SpanId}-01";

    private static object? Tag(Activity activity, string name) => activity.GetTagItem(name);
}
