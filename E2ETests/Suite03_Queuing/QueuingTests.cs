using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite03_Queuing;

/// <summary>Suite03 #1, #4, #9: what happens while a client is away waits for it, and what it says while away goes out once it is back.</summary>
[TestClass]
[TestCategory("Suite03")]
public sealed class QueuingTests : E2ETest<SharedEnvironment>
{
    [TestMethod]
    public async Task EventsProducedWhileAwayAreReplayedInOrderOnResume()
    {
        var token = await RawClient.TokenAsync(Env);
        var welcome = await RawClient.PromptAndLeaveAsync(Env.BackendWebSocket, token,
            new PromptMessage("a", "first while away"), new PromptMessage("b", "second while away"));
        await Env.Telemetry.WaitForRunEndAsync(welcome.SessionId, "a");
        await Env.Telemetry.WaitForRunEndAsync(welcome.SessionId, "b");

        await using var back = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var resumed = await back.HelloAsync(new HelloMessage(token, welcome.SessionId, 0, welcome.Epoch));
        Assert.IsTrue(resumed.Resumed);
        var events = await back.ReadEventsAsync(until: e => e.Seq == resumed.ReplayCount);

        Assert.AreEqual(44, resumed.ReplayCount, "two answers of 22 events each waited");
        Assert.AreEqual(1, events[0].Seq);
        foreach (var run in new[] { "a", "b" })
        {
            CollectionAssert.AreEqual(Enumerable.Range(0, 22).ToArray(), events.Where(e => e.RunId == run).Select(e => e.Index).ToArray(),
                $"run {run}: every event once, in order");
        }
    }

    [TestMethod]
    public async Task PromptsQueuedWhileOfflineAreSentAfterResumeExactlyOnceWithinTheirBound()
    {
        string[] queued = ["q1", "q2", "q3"];
        await using var client = await SessionFactory.ConnectAsync(Env, maxQueuedPrompts: queued.Length);
        var session = client.Session;
        var sessionId = session.SessionId;
        var offline = session.WaitForDisconnectAsync();
        await Env.ChaosProxy.SetEnabledAsync(ChaosProxyNames.Backend, false, Timeouts.Token());
        await offline;

        foreach (var id in queued) await session.SendPromptAsync(id, $"typed offline: {id}", Timeouts.Token());
        var full = await Assert.ThrowsExactlyAsync<PromptQueueFullException>(() => session.SendPromptAsync("q4", "one too many", Timeouts.Token()));
        Assert.AreEqual(queued.Length, full.Limit);
        Assert.AreEqual(queued.Length, session.QueuedPrompts);
        Assert.AreEqual(ConnectionStatus.Resuming, session.State.Status);

        await Env.ChaosProxy.SetEnabledAsync(ChaosProxyNames.Backend, true, Timeouts.Token());
        var answers = await session.ReadAnswersAsync(queued, expectedFirstSeq: 1);

        Assert.AreEqual(0, session.QueuedPrompts, "every queued prompt was answered");
        foreach (var id in queued)
        {
            Assert.HasCount(22, answers[id].Events, $"{id}: one complete answer");
            // One run per prompt id: the server's spans of this session's runs name each id once.
            await Env.Telemetry.WaitForRunEndAsync(sessionId, id);
        }
        var runs = (await Env.Telemetry.GetSpansAsync(ResourceNames.Backend, null, Timeouts.Token()))
            .Where(s => s.Name == "agent.run" && s.Attributes.GetValueOrDefault("session.id") == sessionId)
            .Select(s => s.Attributes["agent.run.id"]).Order().ToArray();
        CollectionAssert.AreEqual(queued, runs, "each queued prompt started exactly one run, and q4 none");
    }

    [TestMethod]
    public async Task TheReplayIsServedByAnotherReplicaThanTheOneThatQueuedIt()
    {
        var replicas = Env.BackendReplicaWebSockets;
        var instances = Env.Faults.Instances(ResourceNames.Backend);
        var token = await RawClient.TokenAsync(Env);
        WelcomeMessage welcome;
        await using (var raw = await RawClient.ConnectAsync(replicas[0]))
        {
            welcome = await raw.HelloAsync(token);
            await raw.SendAsync(new PromptMessage("p", "queue me on one replica"));
            await raw.ReadEventsAsync(until: e => e.Seq == 1);
        }
        var run = await Env.Telemetry.WaitForRunEndAsync(welcome.SessionId, "p");
        var first = ResourceInstance.Read(Env.App, ResourceNames.Backend, instances[0]).TelemetryName;
        Assert.AreEqual(first, run.TelemetryName, "the replica the client talked to ran the answer");

        await using var other = await RawClient.ConnectAsync(replicas[1]);
        var resumed = await other.HelloAsync(new HelloMessage(token, welcome.SessionId, 1, welcome.Epoch));
        var events = await other.ReadEventsAsync(until: e => e.Kind == EventKinds.StreamEnd);

        Assert.IsTrue(resumed.Resumed);
        Assert.AreEqual(21, resumed.ReplayCount);
        Assert.AreEqual(2, events[0].Seq);
        Assert.HasCount(21, events);
        var replay = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "session.replay", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == welcome.SessionId);
        Assert.AreEqual(ResourceInstance.Read(Env.App, ResourceNames.Backend, instances[1]).TelemetryName, replay.TelemetryName,
            "the other replica served the replay");
    }

}
