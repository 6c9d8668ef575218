using AspireResilience.Protocol;
using AspireResilience.TestSupport.Redis;
using AspireResilience.TestSupport.Reports;

namespace AspireResilience.E2ETests.Suite03_Queuing;

/// <summary>
/// Suite03 #2, #3, #6, #7 and the live overflow of docs/protocol.md: thousands of events queue
/// while the client is away (or not reading), and the outbox replays them in order, trims them
/// on ack, or says <c>gap</c> (1013 on a live connection) once its cap dropped some.
/// </summary>
[TestClass]
[TestCategory("Suite03")]
public sealed class OutboxTests : E2ETest<OutboxEnvironment>
{
    private const int EventsPerAnswer = OutboxEnvironment.EventsPerAnswer;

    // session.replay of 10,004 events: 120–130 ms here with protocol v1 (about 80,000 events/s); with v1.1's chain
    // (a third more bytes per event, each one hashed by the client) 157 ms alone and 281 ms in a full run beside
    // the soak's AppHost. About 2x over the slowest seen.
    private static readonly TimeSpan LargeReplayBudget = TimeSpan.FromMilliseconds(600);

    [TestMethod]
    public async Task ALargeReplayCompletesInOrderAndAcksTrimTheOutbox()
    {
        var user = Env.Users.Next();
        var (sessionId, epoch) = await QueueWhileAwayAsync(user, "a", "b");
        await using var store = await SessionStoreInspector.ConnectAsync(Env);
        Assert.AreEqual(2 * EventsPerAnswer, await store.OutboxLengthAsync(sessionId), "both answers wait in the outbox");
        var queuedBytes = await store.OutboxMemoryAsync(sessionId);

        await using var client = await SessionFactory.ResumeAsync(Env, user, sessionId, lastSeq: 0, epoch);
        var welcome = await client.Session.WaitForWelcomeAsync(generation: 1);
        Assert.IsTrue(welcome.Resumed, welcome.Reason);
        Assert.AreEqual(2 * EventsPerAnswer, welcome.ReplayCount);
        var answers = await client.Session.ReadAnswersAsync(["a", "b"], expectedFirstSeq: 1);

        foreach (var (runId, answer) in answers)
        {
            Assert.HasCount(EventsPerAnswer, answer.Events, $"run {runId}: every event once, in order");
            var reference = await ReferenceAnswers.UninterruptedAsync(Env, runId);
            Assert.AreEqual(reference.AfterContext, answer.AfterContext, $"run {runId} replayed byte for byte");
        }
        var replay = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "session.replay", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId);
        Budget.AssertWithin($"replay of {2 * EventsPerAnswer} queued events: session.replay", replay.Duration, LargeReplayBudget, "session.replay span");
        ResilienceReport.AddFigure("large replay rate (10,004 events)", 2 * EventsPerAnswer / replay.Duration.TotalSeconds, "events/s", "session.replay span");

        // The client acks as it reads: the outbox empties and its memory goes back down.
        await Poll.UntilAsync(async () => await store.OutboxLengthAsync(sessionId) == 0, "the acks trimmed the outbox");
        Assert.IsLessThan(queuedBytes / 10, await store.OutboxMemoryAsync(sessionId), $"the outbox took {queuedBytes} bytes when full");
    }

    [TestMethod]
    public async Task MoreEventsThanTheCapWhileAwayAnswersGapNeverASilentLoss()
    {
        var user = Env.Users.Next();
        var (sessionId, epoch) = await QueueWhileAwayAsync(user, "a", "b", "c");
        await using var store = await SessionStoreInspector.ConnectAsync(Env);
        Assert.AreEqual(OutboxEnvironment.OutboxCap, await store.OutboxLengthAsync(sessionId), "the cap dropped the oldest events");

        await using var client = await SessionFactory.ResumeAsync(Env, user, sessionId, lastSeq: 0, epoch);
        var welcome = await client.Session.WaitForWelcomeAsync(generation: 1);

        Assert.IsFalse(welcome.Resumed);
        Assert.AreEqual(ResumeFailureReasons.Gap, welcome.Reason);
        Assert.AreNotEqual(sessionId, welcome.SessionId, "a fresh session, said to be one");
        Assert.AreEqual(new ConnectionState(ConnectionStatus.Open, Reason: ResumeFailureReasons.Gap), client.Session.State);
    }

    [TestMethod]
    public async Task LiveEventsThatArriveDuringAReplayComeAfterItInSeqOrder()
    {
        var token = await RawClient.TokenAsync(Env);
        var welcome = await RawClient.PromptAndLeaveAsync(Env.BackendWebSocketDirect, token, new PromptMessage("long", "keep talking while I reconnect"));
        await using var store = await SessionStoreInspector.ConnectAsync(Env);
        // Back while the answer is still being written: a replay of what queued, then live events.
        await Poll.UntilAsync(async () => await store.OutboxLengthAsync(welcome.SessionId) >= 500, "events queued while away");

        await using var back = await RawClient.ConnectAsync(Env.BackendWebSocketDirect);
        var resumed = await back.HelloAsync(new HelloMessage(token, welcome.SessionId, 1, welcome.Epoch));
        var events = await back.ReadEventsAsync(until: e => e.Kind == EventKinds.StreamEnd);

        Assert.IsTrue(resumed.Resumed);
        Assert.AreEqual(2, events[0].Seq, "the replay starts right after lastSeq");
        Assert.AreEqual(EventsPerAnswer - 1, events.Count, "every event after lastSeq once, in seq order");
        Assert.IsLessThan(events.Count, resumed.ReplayCount, "some events were produced live, during or after the replay");
        CollectionAssert.AreEqual(Enumerable.Range(1, EventsPerAnswer - 1).ToArray(), events.Select(e => e.Index).ToArray());
    }

    [TestMethod]
    public async Task ALiveConnectionWhoseBacklogOverflowsIsClosed1013AndItsResumeSaysGap()
    {
        // A client that stops reading. The kernels and Kestrel between it and the pump absorb about
        // 2 MB here (20,000 events) before the pump blocks, so the answers must outrun that and the
        // cap together: 12 answers, 60,024 events.
        var runs = Enumerable.Range(1, 12).Select(i => $"r{i}").ToArray();
        var token = await RawClient.TokenAsync(Env);
        // The replica's own address (DCP's proxy would buffer megabytes more), and a small receive window.
        await using var slow = await RawClient.ConnectAsync(Env.BackendReplicaWebSockets[0], receiveBufferBytes: 4096);
        var welcome = await slow.HelloAsync(token);
        foreach (var run in runs) await slow.SendAsync(new PromptMessage(run, $"flood {run}"));
        foreach (var run in runs) await Env.Telemetry.WaitForRunEndAsync(welcome.SessionId, run, Timeouts.Default);

        // Reading again: what the socket held, then the close that says the backlog overflowed.
        var (close, before) = await slow.ReceiveCloseAsync();
        var delivered = before.OfType<EventMessage>().ToArray();
        Assert.AreEqual(CloseCodes.TryAgainLater, (int?)close.CloseStatus, close.CloseDescription);
        Assert.IsLessThan(runs.Length * EventsPerAnswer - OutboxEnvironment.OutboxCap, delivered.Length, "the cap dropped events this socket never got");
        CollectionAssert.AreEqual(Enumerable.Range(1, delivered.Length).Select(i => (long)i).ToArray(), delivered.Select(e => e.Seq).ToArray(),
            "what did arrive came in order, without a hole");

        await using var again = await RawClient.ConnectAsync(Env.BackendWebSocketDirect);
        var resumed = await again.HelloAsync(new HelloMessage(token, welcome.SessionId, delivered[^1].Seq, welcome.Epoch));
        Assert.IsFalse(resumed.Resumed);
        Assert.AreEqual(ResumeFailureReasons.Gap, resumed.Reason);
    }

    /// <summary>Opens a session for <paramref name="user"/>, sends <paramref name="prompts"/> (each its own run id), leaves, and waits until every answer is written.</summary>
    private static async Task<(string SessionId, string Epoch)> QueueWhileAwayAsync((string Name, string Password) user, params string[] prompts)
    {
        var token = await new UserTokens(Env.Tokens, user.Name, user.Password).GetAsync(false, Timeouts.Token());
        var welcome = await RawClient.PromptAndLeaveAsync(Env.BackendWebSocketDirect, token, [.. prompts.Select(p => new PromptMessage(p, p))]);
        foreach (var prompt in prompts) await Env.Telemetry.WaitForRunEndAsync(welcome.SessionId, prompt, Timeouts.Default);
        return (welcome.SessionId, welcome.Epoch);
    }
}
