using System.Net;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Telemetry;

namespace AspireResilience.E2ETests.Suite09_NetworkSwitch;

/// <summary>
/// Suite09: a device changes networks. The client reconnects from another local address
/// (127.0.0.2 as "cellular", 127.0.0.1 as "Wi-Fi", ::1 for IPv6) while its old socket may still
/// be open on the server, and its session goes on exactly once.
/// </summary>
[TestClass]
[TestCategory("Suite09")]
public sealed class NetworkSwitchTests : E2ETest<SharedEnvironment>
{
    private static readonly IPAddress Wifi = IPAddress.Loopback;
    private static readonly IPAddress Cellular = IPAddress.Parse("127.0.0.2");

    /// <summary>A replica's own address: no proxy between, so the server sees which address a client came from.</summary>
    private static Uri Direct => Env.BackendReplicaWebSockets[0];

    /// <summary>The same replica by its IPv6 loopback address (<c>localhost</c> resolves to IPv4 only here).</summary>
    private static Uri DirectIPv6 => new UriBuilder(Direct) { Host = "[::1]" }.Uri;

    // A switch reconnects at once over a live path: client.reconnect measured 5–62 ms here in a
    // full run (DESIGN.md §10 allows 2 s for any resume); about 2x over the slowest we see.
    private static readonly TimeSpan SwitchBudget = TimeSpan.FromMilliseconds(150);

    [TestMethod]
    public async Task ResumeFromAnotherAddressWhileTheOldSocketIsHalfOpenSupersedesItExactlyOnce()
    {
        // The old path goes through ChaosProxy, whose blackhole leaves the server's socket half-open.
        await using var client = await SessionFactory.ConnectAsync(Env, localAddress: Wifi);
        var sessionId = client.Session.SessionId;
        WelcomeMessage? welcome = null;

        await MidAnswerFault.StreamThroughAsync(Env, client, "away", "answer me while I change networks", atIndex: 3, async () =>
        {
            await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Downstream, "down"), Timeouts.Token());
            await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Upstream, "up"), Timeouts.Token());
            // The rest of the answer is produced while nothing reaches the client: it waits in the outbox.
            await Env.Telemetry.WaitForRunEndAsync(sessionId, "away");
            client.Session.SwitchNetwork(Cellular, Direct);
            welcome = await client.Session.WaitForWelcomeAsync(generation: 2);
            // The old path may come back now: the server's end of it is gone (or going) with 4000.
            await Env.ChaosProxy.ResetAsync(Timeouts.Token());
        }, expectedFirstSeq: 1);

        Assert.IsTrue(welcome!.Resumed);
        Assert.IsGreaterThan(0, welcome.ReplayCount, "what was produced behind the blackhole was replayed");
        var superseded = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "ws.connection", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId && s.Attributes.GetValueOrDefault("ws.close.code") == "4000");
        Assert.IsNotNull(superseded, "the half-open old socket was closed 4000 once the new one attached");
        await client.DisposeAsync();
        await WaitForConnectionFromAsync(sessionId, Cellular);
    }

    [TestMethod]
    public async Task SwitchInTheMiddleOfAnAnswerGoesOnExactlyOnce()
    {
        await using var client = await SessionFactory.ConnectAsync(Env, endpoint: Direct, localAddress: Wifi);
        var sessionId = client.Session.SessionId;

        await MidAnswerFault.StreamThroughAsync(Env, client, "midway", "switch while I speak", atIndex: 7, () =>
        {
            client.Session.SwitchNetwork(Cellular);
            return Task.CompletedTask;
        }, expectedFirstSeq: 1);

        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        Assert.AreEqual(ClientTelemetry.NetworkSwitchReason, reconnect.GetTagItem(ClientTelemetry.ReconnectReason));
        Budget.AssertWithin("network switch: switched → resumed", reconnect.Duration, SwitchBudget, "client.reconnect span");
        await client.DisposeAsync();
        await WaitForConnectionFromAsync(sessionId, Cellular);
    }

    [TestMethod]
    public async Task SwitchingBackAndForthFiveTimesKeepsTheAnswerAndTheContext()
    {
        const string first = "five switches, one answer";
        await using var client = await SessionFactory.ConnectAsync(Env, endpoint: Direct, localAddress: Wifi);
        var session = client.Session;
        int[] switchAt = [2, 5, 8, 11, 14];

        await session.SendPromptAsync("flip", first, Timeouts.Token());
        // Each event after a switch arrives over the new path, so the next switch follows the last resume.
        var answer = await session.ReadAnswerAsync("flip", expectedFirstSeq: 1, onEvent: e =>
        {
            var n = Array.IndexOf(switchAt, e.Index);
            if (n >= 0) session.SwitchNetwork(n % 2 == 0 ? Cellular : Wifi);
        });

        Assert.AreEqual((await ReferenceAnswers.UninterruptedAsync(Env, first)).Text, answer.Text);
        Assert.AreEqual(0, session.DuplicatesDropped);
        Assert.IsTrue((await session.WaitForWelcomeAsync(generation: switchAt.Length + 1)).Resumed);
        Assert.AreEqual(ConnectionStatus.Resumed, session.State.Status);
        bool IsSwitch(System.Diagnostics.Activity a) =>
            a.OperationName == "client.reconnect" && (string?)a.GetTagItem(ClientTelemetry.SessionId) == session.SessionId;
        await Env.ClientSpans.WaitForAsync(_ => Env.ClientSpans.Finished.Count(IsSwitch) == switchAt.Length, Timeouts.Default);
        foreach (var reconnect in Env.ClientSpans.Finished.Where(IsSwitch))
        {
            Assert.AreEqual(ClientTelemetry.NetworkSwitchReason, reconnect.GetTagItem(ClientTelemetry.ReconnectReason));
            Budget.AssertWithin("network switch: switched → resumed", reconnect.Duration, SwitchBudget, "client.reconnect span");
        }
        // The context survived every move: a follow-up sees the first turn, as on an uninterrupted session.
        await MidAnswerFault.StreamThroughAsync(Env, client, "after", "and what came before?", atIndex: 1, () => Task.CompletedTask,
            expectedFirstSeq: session.LastSeq + 1, history: first);
    }

    [TestMethod]
    public async Task SwitchAndRefreshTheTokenAtTheSameMoment()
    {
        const string prompt = "refresh while you move";
        var (user, password) = Env.Users.Next();
        var tokens = new UserTokens(Env.Tokens, user, password);
        await using var old = await RawClient.ConnectAsync(Direct, localAddress: Wifi);
        var welcome = await old.HelloAsync(await tokens.GetAsync(false, Timeouts.Token()));
        await old.SendAsync(new PromptMessage("p", prompt));
        var before = await old.ReadEventsAsync(until: e => e.Index == 5);

        var refreshed = await tokens.GetAsync(true, Timeouts.Token());
        await using var moved = await RawClient.ConnectAsync(Direct, localAddress: Cellular);
        var lastSeq = before[^1].Seq;
        // The old socket sends its refresh as the new one says hello: both with the new token.
        var resumed = moved.HelloAsync(new HelloMessage(refreshed, welcome.SessionId, lastSeq, welcome.Epoch));
        await old.SendAsync(new RefreshMessage(refreshed));
        var movedWelcome = await resumed;

        Assert.IsTrue(movedWelcome.Resumed, movedWelcome.Reason);
        var after = await moved.ReadEventsAsync(until: e => e.Kind == EventKinds.StreamEnd);
        Assert.AreEqual(lastSeq + 1, after[0].Seq, "the replay starts right after what the old socket delivered");
        var reference = await ReferenceAnswers.UninterruptedAsync(Env, prompt);
        Assert.AreEqual(reference.Text, Text([.. before, .. after]));
        var (close, _) = await old.ReceiveCloseAsync();
        Assert.AreEqual(4000, (int?)close.CloseStatus, "the old socket was superseded");
    }

    [TestMethod]
    public async Task LateFramesFromTheOldSocketChangeNothing()
    {
        const string first = "deliver everything to the old socket";
        const string latePrompt = "a prompt from the old network";
        const string freshPrompt = "the same id from the new network";
        var (user, password) = Env.Users.Next();
        var token = await new UserTokens(Env.Tokens, user, password).GetAsync(false, Timeouts.Token());
        await using var old = await RawClient.ConnectAsync(Direct, localAddress: Wifi);
        var welcome = await old.HelloAsync(token);
        await old.SendAsync(new PromptMessage("p1", first));
        var answer = await old.ReadEventsAsync(until: e => e.Kind == EventKinds.StreamEnd);
        var top = answer[^1].Seq;

        // The client moved having seen (as far as it knows) only up to seq 10.
        await using (var moved = await RawClient.ConnectAsync(Direct, localAddress: Cellular))
        {
            Assert.IsTrue((await moved.HelloAsync(new HelloMessage(token, welcome.SessionId, 10, welcome.Epoch))).Resumed);
            // The old network delivers what the old socket still had to say.
            await old.SendAsync(new AckMessage(top));
            await old.SendAsync(new PromptMessage("late", latePrompt));
            Assert.AreEqual(4000, (int?)(await old.ReceiveCloseAsync()).Close.CloseStatus);
            await old.DisposeAsync();
            // The old connection is torn down on the server: whatever it was going to do with those frames is done.
            await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "ws.connection", Timeouts.Telemetry,
                s => s.Attributes.GetValueOrDefault("session.id") == welcome.SessionId && s.Attributes.GetValueOrDefault("ws.close.code") == "4000");
        }

        // The late ack trimmed nothing: a resume from seq 10 still replays everything after it.
        await using var again = await RawClient.ConnectAsync(Direct, localAddress: Cellular);
        var resumed = await again.HelloAsync(new HelloMessage(token, welcome.SessionId, 10, welcome.Epoch));
        Assert.IsTrue(resumed.Resumed, resumed.Reason);
        Assert.AreEqual(top - 10, resumed.ReplayCount, "the outbox holds what it held before the late ack, and no late run's events");
        await again.ReadEventsAsync(until: e => e.Seq == top);
        // The late prompt started no run: the same id from the live socket gets the answer to its own text.
        await again.SendAsync(new PromptMessage("late", freshPrompt));
        var fresh = await again.ReadEventsAsync(until: e => e.RunId == "late" && e.Kind == EventKinds.StreamEnd);
        var reference = await ReferenceAnswers.UninterruptedAsync(Env, freshPrompt, first);
        Assert.AreEqual(reference.Text, Text(fresh));
    }

    [TestMethod]
    public async Task TheNewConnectionLandsOnAnotherReplica()
    {
        var replicas = Env.BackendReplicaWebSockets;
        var instances = Env.Faults.Instances(ResourceNames.Backend);
        Assert.HasCount(2, replicas, "the shared environment runs two Backend replicas");
        await using var client = await SessionFactory.ConnectAsync(Env, endpoint: replicas[0], localAddress: Wifi);
        var sessionId = client.Session.SessionId;

        await MidAnswerFault.StreamThroughAsync(Env, client, "hop", "carry me to the other replica", atIndex: 6, () =>
        {
            client.Session.SwitchNetwork(Cellular, replicas[1]);
            return Task.CompletedTask;
        }, expectedFirstSeq: 1);

        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        var resume = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, reconnect.TraceId.ToHexString(), "session.resume", Timeouts.Telemetry);
        Assert.AreEqual(ResourceInstance.Read(Env.App, ResourceNames.Backend, instances[1]).TelemetryName, resume.TelemetryName,
            "the replica that never saw the session served its resume");
    }

    [TestMethod]
    public async Task SwitchOntoAPathWithLatency()
    {
        const int latencyMs = 200;
        await using var client = await SessionFactory.ConnectAsync(Env, endpoint: Direct, localAddress: Cellular);
        var sessionId = client.Session.SessionId;
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Latency(latencyMs), Timeouts.Token());

        await MidAnswerFault.StreamThroughAsync(Env, client, "slow", "onto the slow network", atIndex: 4, () =>
        {
            client.Session.SwitchNetwork(Wifi, Env.BackendWebSocket);
            return Task.CompletedTask;
        }, expectedFirstSeq: 1);

        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(latencyMs), reconnect.Duration, "the welcome came over the slow path");
    }

    [TestMethod]
    public async Task SwitchBetweenIPv4AndIPv6Loopback()
    {
        const string prompt = "from six to four and back";
        await using var client = await SessionFactory.ConnectAsync(Env, endpoint: DirectIPv6, localAddress: IPAddress.IPv6Loopback);
        var session = client.Session;
        var sessionId = session.SessionId;

        await session.SendPromptAsync("families", prompt, Timeouts.Token());
        var answer = await session.ReadAnswerAsync("families", expectedFirstSeq: 1, onEvent: e =>
        {
            if (e.Index == 4) session.SwitchNetwork(Cellular, Direct);
            if (e.Index == 10) session.SwitchNetwork(IPAddress.IPv6Loopback, DirectIPv6);
        });

        Assert.AreEqual((await ReferenceAnswers.UninterruptedAsync(Env, prompt)).Text, answer.Text);
        Assert.IsTrue((await session.WaitForWelcomeAsync(generation: 3)).Resumed);
        await WaitForConnectionFromAsync(sessionId, Cellular);
        await client.DisposeAsync();
        await WaitForConnectionFromAsync(sessionId, IPAddress.IPv6Loopback);
    }

    /// <summary>Waits for the server's span of a connection of <paramref name="sessionId"/> that came from <paramref name="address"/> (it ends at its close).</summary>
    private static Task<TelemetrySpan> WaitForConnectionFromAsync(string sessionId, IPAddress address) =>
        Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "ws.connection", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId && s.Attributes.GetValueOrDefault("network.peer.address") == address.ToString());


    private static string Text(IEnumerable<EventMessage> events) =>
        string.Concat(events.Where(e => e.Kind == EventKinds.StreamChunk).Select(e => e.Text));
}
