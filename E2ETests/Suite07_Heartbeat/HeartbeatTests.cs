using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite07_Heartbeat;

/// <summary>
/// Suite07: heartbeats on both sides at a 1 s interval and 1 s timeout. Detection times are read
/// from spans: the Backend's <c>ws.connection</c> (<c>ws.heartbeat.silence_ms</c>) and the
/// client's <c>client.reconnect</c> (<c>reconnect.silence_ms</c>).
/// </summary>
[TestClass]
[TestCategory("Suite07")]
public sealed class HeartbeatTests : E2ETest<HeartbeatEnvironment>
{
    // DESIGN.md §10: a dead peer is found within 3 s at a 1 s heartbeat, either side.
    private static readonly TimeSpan DetectionBudget = TimeSpan.FromSeconds(3);

    // A loopback round trip through ChaosProxy: single milliseconds here, 53 ms at worst (a
    // scheduling hiccup on 2 shared cores).
    private static readonly TimeSpan PingRoundTripBudget = TimeSpan.FromMilliseconds(100);

    private static TimeSpan Interval => HeartbeatEnvironment.DefaultHeartbeat;

    [TestMethod]
    public async Task TheServerPingsAtTheConfiguredInterval()
    {
        using var client = await HeartbeatFrameClient.ConnectAsync(Env.BackendReplicaWebSockets.Single());
        await client.SendAsync(new HelloMessage(await RawClient.TokenAsync(Env)));
        Assert.AreEqual((int)Interval.TotalMilliseconds, ((WelcomeMessage)await client.ReceiveAsync()).HeartbeatMs);

        var gaps = await client.PingGapsAsync(5);
        Console.WriteLine("ping gaps (ms): " + string.Join(", ", gaps.Select(g => g.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture))));
        AssertPingsEvery(Interval, gaps);
    }

    [TestMethod]
    public async Task AClientThatStopsAnsweringIsDetachedWithinIntervalPlusTimeoutAndItsSessionStaysResumable()
    {
        // A bare client that keeps reading (its WebSocket stack answers every ping) and never
        // gives up on its own: whatever ends the connection, the server decided it.
        var token = await RawClient.TokenAsync(Env);
        await using var client = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var created = await client.HelloAsync(token);
        await client.SendTextAsync("""{"type":"ping","t":1}""");
        Assert.IsInstanceOfType<PongMessage>((await client.ReceiveAsync()).Message);
        var reading = client.ReceiveCloseAsync(Timeouts.Default);

        // From its last frame on, nothing from the client reaches the server: no pongs, no close.
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Upstream, "silent-client"), Timeouts.Token());
        var connection = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "ws.connection", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == created.SessionId);
        Assert.IsTrue(connection.Attributes.ContainsKey("ws.heartbeat.timeout"),
            "the heartbeat ended the connection: " + string.Join(", ", connection.Attributes.Select(a => $"{a.Key}={a.Value}")));
        var silence = TimeSpan.FromMilliseconds(long.Parse(connection.Attributes["ws.heartbeat.silence_ms"], CultureInfo.InvariantCulture));
        Assert.AreEqual("1006", connection.Attributes["ws.close.code"], "a dead peer gets no close frame");
        Assert.IsGreaterThanOrEqualTo(HeartbeatEnvironment.HeartbeatTimeout, silence, "no verdict before the timeout");
        Budget.AssertWithin("dead client detected by the server (heartbeat 1 s): ws.heartbeat.silence_ms", silence, DetectionBudget, "ws.connection span");

        await Env.ChaosProxy.RemoveToxicAsync(ChaosProxyNames.Backend, "silent-client", Timeouts.Token());
        await Assert.ThrowsAsync<WebSocketException>(() => reading, "the detached client's socket ends without a close frame");
        var (resumed, answer) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, created.SessionId, 0, created.Epoch);
        await using (resumed)
        {
            Assert.IsTrue((answer.Message as WelcomeMessage)?.Resumed, $"the detached session resumes: {answer.Json}");
        }
    }

    [TestMethod]
    public async Task AnApplicationPingIsAnsweredByAPongEchoingItsTimeQuickly()
    {
        await using var client = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await client.HelloAsync(await RawClient.TokenAsync(Env));
        // The first round trip also pays for first use (JIT, buffers): not a heartbeat's cost.
        await client.SendTextAsync("""{"type":"ping","t":0}""");
        Assert.AreEqual(0, ((PongMessage)(await client.ReceiveAsync()).Message!).T);
        for (var t = 1; t <= 20; t++)
        {
            var sent = Stopwatch.GetTimestamp();
            await client.SendTextAsync($$"""{"type":"ping","t":{{t}}}""");
            var pong = (await client.ReceiveAsync()).Message as PongMessage;
            // A real round trip over the socket, timed at the client: no delay inside it.
            var roundTrip = Stopwatch.GetElapsedTime(sent);
            Assert.AreEqual(t, pong?.T, "pong echoes the ping's t");
            Budget.AssertWithin("application ping → pong round trip via ChaosProxy", roundTrip, PingRoundTripBudget, "raw client send/receive");
        }
    }

    [TestMethod]
    public async Task TheClientDetectsADeadServerWithinBudgetAndReconnects()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var sessionId = session.SessionId;

        // Nothing from the server reaches the client any more, not even the close of a connection.
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Downstream, "silent-server"), Timeouts.Token());
        var drop = await session.WaitForDisconnectAsync();
        Assert.AreEqual("heartbeat", drop.Reason, "the client's heartbeat found the dead link");
        await Env.ChaosProxy.RemoveToxicAsync(ChaosProxyNames.Backend, "silent-server", Timeouts.Token());

        var welcome = await session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed, welcome.Reason);
        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        Assert.AreEqual("heartbeat", reconnect.GetTagItem(ClientTelemetry.ReconnectReason));
        var silence = TimeSpan.FromMilliseconds((double)reconnect.GetTagItem(ClientTelemetry.ReconnectSilenceMs)!);
        Assert.IsGreaterThan(Interval * 2, silence, "no verdict before 2 silent intervals (the reference client's rule)");
        Budget.AssertWithin("dead server detected by the client (heartbeat 1 s): reconnect.silence_ms", silence, DetectionBudget, "client.reconnect span");
    }

    [TestMethod]
    public async Task ABackendRestartedWithANewHeartbeatIntervalPingsAtIt()
    {
        var changed = TimeSpan.FromSeconds(2);
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        try
        {
            HeartbeatEnvironment.HeartbeatInterval = changed;
            await Env.Faults.RestartAsync(ResourceNames.Backend);

            var welcome = await session.WaitForWelcomeAsync(generation: 2);
            Assert.IsTrue(welcome.Resumed, welcome.Reason);
            Assert.AreEqual((int)changed.TotalMilliseconds, welcome.HeartbeatMs);
            Assert.AreEqual(changed, session.HeartbeatInterval, "the client heartbeats at the new pace");

            using var raw = await HeartbeatFrameClient.ConnectAsync(Env.BackendReplicaWebSockets.Single());
            await raw.SendAsync(new HelloMessage(await RawClient.TokenAsync(Env)));
            await raw.ReceiveAsync();
            var gaps = await raw.PingGapsAsync(3);
            Console.WriteLine("ping gaps after the restart (ms): " + string.Join(", ", gaps.Select(g => g.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture))));
            AssertPingsEvery(changed, gaps);
        }
        finally
        {
            HeartbeatEnvironment.HeartbeatInterval = HeartbeatEnvironment.DefaultHeartbeat;
            await Env.Faults.RestartAsync(ResourceNames.Backend);
        }
    }

    [TestMethod]
    public async Task AnIdleConnectionWithLatencyBelowTheTimeoutStaysUpForManyIntervals()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var sessionId = session.SessionId;
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Latency(300, stream: ToxicStream.Downstream), Timeouts.Token());
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Latency(300, stream: ToxicStream.Upstream), Timeouts.Token());

        // The fault itself: eight idle intervals with a 600 ms round trip, below the 1 s timeout.
        await Task.Delay(Interval * 8);

        while (session.ConnectionEvents.TryRead(out var change))
        {
            Assert.IsInstanceOfType<Welcomed>(change, $"no false positive: {change}");
        }
        var spans = await Env.Telemetry.GetSpansAsync(ResourceNames.Backend, null, Timeouts.Token());
        Assert.IsFalse(spans.Any(s => s.Name == "ws.connection" && s.Attributes.GetValueOrDefault("session.id") == sessionId),
            "the server's side of the connection has not ended either");
        await session.SendPromptAsync("slow", "still there?", Timeouts.Token());
        await session.ReadAnswerAsync("slow", expectedFirstSeq: 1);
    }

    [TestMethod]
    public async Task AHalfOpenOldSocketIsSupersededByTheNewConnectionAndCleanedUp()
    {
        var token = await RawClient.TokenAsync(Env);
        await using var old = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var created = await old.HelloAsync(token);
        // The old path goes dark both ways, as a phone that left its Wi-Fi: half-open, nobody says so.
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Downstream, "gone-down"), Timeouts.Token());
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Upstream, "gone-up"), Timeouts.Token());

        // The new path: straight to the Backend.
        var (fresh, answer) = await RawHello.ResumeAsync(Env.BackendReplicaWebSockets.Single(), token, created.SessionId, 0, created.Epoch);
        await using (fresh)
        {
            Assert.IsTrue(((WelcomeMessage)answer.Message!).Resumed);
            var superseded = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "session.superseded", Timeouts.Telemetry,
                s => s.Attributes.GetValueOrDefault("session.id") == created.SessionId);
            var oldConnection = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, superseded.TraceId, "ws.connection", Timeouts.Telemetry,
                s => s.SpanId == superseded.ParentSpanId);
            Assert.AreEqual("4000", oldConnection.Attributes["ws.close.code"], "the old connection was closed as superseded");
            // Its close frame cannot arrive: the close grace or the heartbeat, whichever first, ends it.
            Budget.AssertWithin("half-open superseded socket cleaned up (heartbeat 1 s): superseded → ws.connection end",
                oldConnection.End - superseded.Start, DetectionBudget, "session.superseded and ws.connection spans");

            await fresh.SendTextAsync("""{"type":"prompt","id":"moved","text":"on the new path"}""");
            var first = (EventMessage)(await fresh.ReceiveAsync()).Message!;
            Assert.AreEqual((1L, "moved"), (first.Seq, first.RunId), "the new connection serves the session from its first seq");
        }
    }

    [TestMethod]
    public async Task HeartbeatsNeverConsumeSeqNumbersOrEnterTheOutbox()
    {
        var token = await RawClient.TokenAsync(Env);
        using var client = await HeartbeatFrameClient.ConnectAsync(Env.BackendReplicaWebSockets.Single());
        await client.SendAsync(new HelloMessage(token));
        var created = (WelcomeMessage)await client.ReceiveAsync();
        await client.SendAsync(new PromptMessage("before", "heartbeats around me"));
        var seqs = new List<long>();
        while (seqs.Count < 22) seqs.Add(((EventMessage)await client.ReceiveAsync()).Seq);

        // Server pings (answered) and application pings (answered with pongs) in an idle session.
        await client.PingGapsAsync(3);
        for (var t = 1; t <= 5; t++)
        {
            await client.SendAsync(new PingMessage(t));
            Assert.AreEqual(t, ((PongMessage)await client.ReceiveAsync()).T);
        }
        await client.SendAsync(new PromptMessage("after", "and after them"));
        while (seqs.Count < 44) seqs.Add(((EventMessage)await client.ReceiveAsync()).Seq);
        CollectionAssert.AreEqual(Enumerable.Range(1, 44).Select(s => (long)s).ToList(), seqs, "pings and pongs took no seq");

        // The outbox holds the 44 events and nothing else: a resume from 0 replays exactly them.
        var (again, answer) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, created.SessionId, 0, created.Epoch);
        await using (again)
        {
            Assert.AreEqual(44, ((WelcomeMessage)answer.Message!).ReplayCount);
        }
    }

    private static void AssertPingsEvery(TimeSpan interval, TimeSpan[] gaps)
    {
        Assert.IsTrue(gaps.All(g => g > interval * 0.5 && g < interval * 2), $"every ping about {interval.TotalMilliseconds} ms after the last");
        var mean = TimeSpan.FromTicks((long)gaps.Average(g => g.Ticks));
        Assert.IsTrue(mean > interval * 0.8 && mean < interval * 1.5, $"mean gap {mean.TotalMilliseconds:F0} ms for an interval of {interval.TotalMilliseconds} ms");
    }
}
