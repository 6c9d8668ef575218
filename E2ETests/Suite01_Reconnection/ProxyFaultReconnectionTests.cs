using AspireResilience.ChaosProxy.Client;

namespace AspireResilience.E2ETests.Suite01_Reconnection;

/// <summary>Reconnection through real network faults injected by ChaosProxy on the client ↔ Backend hop.</summary>
[TestClass]
[TestCategory("Suite01")]
public sealed class ProxyFaultReconnectionTests : E2ETest<SharedEnvironment>
{
    private static readonly TimeSpan LatencyResumeBudget = TimeSpan.FromSeconds(2);

    [TestMethod]
    public async Task ServerSideResetMidAnswerResumesExactlyOnce()
    {
        const string prompt = "reset me halfway";
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.SendPromptAsync("reference", prompt, Timeouts.Token());
        var reference = await session.ReadAnswerAsync("reference", expectedFirstSeq: 1);

        await session.SendPromptAsync("reset", prompt, Timeouts.Token());
        Task<Disconnected>? fault = null;
        var answer = await session.ReadAnswerAsync("reset", expectedFirstSeq: reference.Events[^1].Seq + 1, onEvent: e =>
        {
            if (fault is null && e.RunId == "reset" && e.Index == 6)
            {
                fault = ResetPeerOnceAsync(session);
            }
        });
        var disconnect = await fault!.WaitAsync(Timeouts.Default);

        Assert.IsNull(disconnect.CloseCode, "a TCP reset brings no close frame");
        Assert.AreEqual(reference.AfterContext, answer.AfterContext,
            "same prompt, same answer after the context marker");
        Assert.AreEqual(0, session.GapsDetected);
        var welcome = await session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed);
    }

    [TestMethod]
    public async Task LinkDownLongerThanTheAnswerThenUpDeliversTheCompleteRemainder()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var sessionId = session.SessionId;
        await session.SendPromptAsync("offline", "answer while I am away", Timeouts.Token());
        Task? outage = null;
        var answer = await session.ReadAnswerAsync("offline", expectedFirstSeq: 1, onEvent: e =>
        {
            if (outage is null && e.Index == 2)
            {
                outage = OutageUntilRunFinishesAsync(sessionId);
            }
        });
        await outage!.WaitAsync(Timeouts.Default);

        Assert.AreEqual(22, answer.Events.Count);
        Assert.AreEqual(0, session.GapsDetected);
        var welcome = await session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed, "the outage dropped the link and the session came back");
        Assert.AreEqual(sessionId, welcome.SessionId);
        Assert.IsGreaterThan(0, welcome.ReplayCount, "what was produced during the outage was replayed");
    }

    [TestMethod]
    public async Task LatencyOnThePathShowsInTheClientResumeTimingButNotInTheServers()
    {
        const int latencyMs = 200;
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var sessionId = session.SessionId;
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Latency(latencyMs), Timeouts.Token());

        session.AbortConnection();
        await session.WaitForWelcomeAsync(generation: 2);

        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        var resume = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, reconnect.TraceId.ToHexString(), "session.resume", Timeouts.Telemetry);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(latencyMs), reconnect.Duration, "the welcome crossed the slow link");
        Assert.IsLessThan(TimeSpan.FromMilliseconds(latencyMs), resume.Duration, "the server's own work is not slowed");
        Budget.AssertWithin("client abort, 200 ms latency on the path: detected → resumed", reconnect.Duration, LatencyResumeBudget, "client.reconnect span");
    }

    [TestMethod]
    public async Task DashboardCommandsInjectAndClearFaults()
    {
        // "Cut all connections" resets the Backend's Redis connections too; it reports them, then reconnects.
        ExpectErrors("StackExchange.Redis.ConnectionMultiplexer");
        var latency = await Env.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Chaos, "chaos-latency", Timeouts.Token());
        Assert.IsTrue(latency.Success, latency.Message);
        var toxics = await Env.ChaosProxy.GetToxicsAsync(ChaosProxyNames.Backend, Timeouts.Token());
        Assert.AreEqual("latency", toxics.Single().Type);

        await using var client = await SessionFactory.ConnectAsync(Env);
        var cut = await Env.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Chaos, "chaos-cut", Timeouts.Token());
        Assert.IsTrue(cut.Success, cut.Message);
        Assert.IsNull((await client.Session.WaitForDisconnectAsync()).CloseCode, "cut = TCP reset, no close frame");

        var reset = await Env.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Chaos, "chaos-reset", Timeouts.Token());
        Assert.IsTrue(reset.Success, reset.Message);
        Assert.IsEmpty(await Env.ChaosProxy.GetToxicsAsync(ChaosProxyNames.Backend, Timeouts.Token()));
        Assert.IsTrue((await client.Session.WaitForWelcomeAsync(generation: 2)).Resumed);
    }

    /// <summary>Resets the next data on the client hop with TCP RST, then lifts the toxic once the client noticed.</summary>
    private static async Task<Disconnected> ResetPeerOnceAsync(ResilientSession session)
    {
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.ResetPeer(0, ToxicStream.Downstream, "cut"), Timeouts.Token());
        var disconnect = await session.WaitForDisconnectAsync();
        await Env.ChaosProxy.RemoveToxicAsync(ChaosProxyNames.Backend, "cut", Timeouts.Token());
        return disconnect;
    }

    /// <summary>Takes the client link down until the backend reports (in its trace) that the run finished, then brings it back.</summary>
    private static async Task OutageUntilRunFinishesAsync(string sessionId)
    {
        await Env.ChaosProxy.SetEnabledAsync(ChaosProxyNames.Backend, false, Timeouts.Token());
        await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "agent.run", Timeouts.Telemetry,
            span => span.Attributes.GetValueOrDefault("session.id") == sessionId);
        await Env.ChaosProxy.SetEnabledAsync(ChaosProxyNames.Backend, true, Timeouts.Token());
    }
}
