using System.Text.Json;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Redis;

namespace AspireResilience.E2ETests.Suite11_Continuity;

/// <summary>
/// Protocol v1.1 against the real AppHost: the client checks the continuity chain itself
/// (a corruption written straight into Redis never reaches the application), a resume proves
/// agreement (<c>diverged</c> otherwise), a failed resume is followed by a snapshot that
/// rebuilds the conversation, and a v1 client that knows none of this still resumes.
/// </summary>
[TestClass]
[TestCategory("Suite11")]
public sealed class ContinuityTests : E2ETest<SharedEnvironment>
{
    private const string Prompt = "tell me something I can check";

    [TestMethod]
    public async Task AnOutboxEntryCorruptedInRedisIsCaughtByTheClientAndNeverReachesTheApplication()
    {
        const long corruptSeq = 5;
        var user = Env.Users.Next();
        var token = await new UserTokens(Env.Tokens, user.Name, user.Password).GetAsync(false, Timeouts.Token());
        var away = await RawClient.PromptAndLeaveAsync(Env.BackendWebSocket, token, new PromptMessage("p1", Prompt));
        await Env.Telemetry.WaitForRunEndAsync(away.SessionId, "p1");
        await using (var store = await SessionStoreInspector.ConnectAsync(Env))
        {
            await store.CorruptOutboxEntryAsync(away.SessionId, corruptSeq, "tampered");
        }
        var reference = await ReferenceAnswers.UninterruptedAsync(Env, Prompt);

        await using var client = await SessionFactory.ResumeAsync(Env, user, away.SessionId, lastSeq: 0, away.Epoch);
        var changes = await client.Session.ReadConnectionEventsAsync(c => c is SnapshotReceived);

        var delivered = new List<EventMessage>();
        while (client.Session.Events.TryRead(out var e)) delivered.Add(e);
        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4 }, delivered.Select(e => e.Seq).ToArray(), "everything before the corrupted event, nothing from it on");
        Assert.IsFalse(delivered.Exists(e => e.Text == "tampered"));
        var mismatch = changes.OfType<ChainMismatch>().Single();
        Assert.AreEqual((away.SessionId, corruptSeq), (mismatch.SessionId, mismatch.Seq));
        Assert.AreEqual(new ConnectionState(ConnectionStatus.Open, Reason: ResumeFailureReasons.Diverged), client.Session.State);
        var welcome = changes.OfType<Welcomed>().Last().Welcome;
        Assert.AreEqual((false, ResumeFailureReasons.Diverged), (welcome.Resumed, welcome.Reason), "the server refuses to replay past the entry its own chain does not cover");

        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(welcome.SessionId);
        Assert.AreEqual(corruptSeq, reconnect.GetTagItem(ClientTelemetry.ChainMismatchSeq));
        Assert.AreEqual(ClientTelemetry.ChainMismatchReason, reconnect.GetTagItem(ClientTelemetry.ReconnectReason));
        Assert.IsTrue(reconnect.Events.Any(e => e.Name == ClientTelemetry.ChainMismatchEvent));

        var snapshot = changes.OfType<SnapshotReceived>().Single().Snapshot;
        AssertConversation(snapshot, away.SessionId, (Prompt, reference.Text));
    }

    [TestMethod]
    public async Task AResumeWithAWrongLastChainIsAnsweredDivergedAndASnapshot()
    {
        var (token, created) = await RawSessions.CreateAsync(Env, Prompt);
        var reference = await ReferenceAnswers.UninterruptedAsync(Env, Prompt);

        var (client, answer) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, created.SessionId, 22, created.Epoch,
            lastChain: EventChain.Genesis(created.SessionId));
        await using var _ = client;
        var snapshot = (await client.ReceiveAsync()).Message as SnapshotMessage;

        var welcome = (WelcomeMessage)answer.Message!;
        Assert.AreEqual((false, ResumeFailureReasons.Diverged), (welcome.Resumed, welcome.Reason));
        Assert.AreNotEqual(created.SessionId, welcome.SessionId, "a fresh session, said to be one");
        Assert.AreEqual(EventChain.Genesis(welcome.SessionId), welcome.Chain);
        Assert.IsNotNull(snapshot, "the welcome is followed by the snapshot");
        AssertConversation(snapshot, created.SessionId, (Prompt, reference.Text));
    }

    [TestMethod]
    public async Task AGapIsFollowedByASnapshotThatRebuildsTheConversation()
    {
        string[] prompts = ["the first question", "the second question"];
        var user = Env.Users.Next();
        string sessionId, epoch;
        await using (var first = await SessionFactory.ConnectAsync(Env, user))
        {
            for (var i = 0; i < prompts.Length; i++)
            {
                await first.Session.SendPromptAsync($"p{i}", prompts[i], Timeouts.Token());
                await first.Session.ReadAnswerAsync($"p{i}");
            }
            (sessionId, epoch) = (first.Session.SessionId, first.Session.Epoch);
            await using var store = await SessionStoreInspector.ConnectAsync(Env);
            await Poll.UntilAsync(async () => await store.OutboxLengthAsync(sessionId) == 0, "the client's acks trimmed the outbox");
        }
        var references = new[]
        {
            await ReferenceAnswers.UninterruptedAsync(Env, prompts[0]),
            await ReferenceAnswers.UninterruptedAsync(Env, prompts[1], prompts[0]),
        };

        // Another process of the app that only remembers seq 1: older than what was acknowledged.
        await using var again = await SessionFactory.ResumeAsync(Env, user, sessionId, lastSeq: 1, epoch);
        var changes = await again.Session.ReadConnectionEventsAsync(c => c is SnapshotReceived);

        Assert.AreEqual(ResumeFailureReasons.Gap, changes.OfType<Welcomed>().Single().Welcome.Reason);
        Assert.AreEqual(0, again.Session.ChainMismatches);
        AssertConversation(changes.OfType<SnapshotReceived>().Single().Snapshot, sessionId,
            (prompts[0], references[0].Text), (prompts[1], references[1].Text));
    }

    [TestMethod]
    public async Task AV1ClientWithoutLastChainStillResumesAndIgnoresTheNewFields()
    {
        var (token, created) = await RawSessions.CreateAsync(Env, Prompt);

        // A hello as a v1 client writes it: no lastChain.
        var (client, answer) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, created.SessionId, 10, created.Epoch);
        await using var _ = client;
        var welcome = (WelcomeMessage)answer.Message!;
        var frames = new List<Received>();
        while (frames.Count < welcome.ReplayCount) frames.Add(await client.ReceiveAsync());

        Assert.IsTrue(welcome.Resumed, welcome.Reason);
        Assert.AreEqual(12, welcome.ReplayCount);
        // What a v1 client reads of each frame: its v1 fields, whatever else the frame carries.
        var v1 = frames.Select(f => JsonSerializer.Deserialize<V1Event>(f.Json!, JsonSerializerOptions.Web)!).ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(11, 12).Select(i => (long)i).ToArray(), v1.Select(e => e.Seq).ToArray());
        Assert.IsTrue(v1.All(e => e.Type == "event" && e.RunId == "p1"));
        CollectionAssert.AreEqual(Enumerable.Range(10, 12).ToArray(), v1.Select(e => e.Index).ToArray());
        Assert.IsTrue(frames.All(f => f.Message is EventMessage { Chain.Length: EventChain.Length }), "the v1.1 field is there for those who read it");
    }

    /// <summary>The snapshot is of <paramref name="sessionId"/>, complete, and holds each prompt then its answer, in order.</summary>
    private static void AssertConversation(SnapshotMessage snapshot, string sessionId, params (string Prompt, string Answer)[] turns)
    {
        Assert.AreEqual(sessionId, snapshot.SessionId);
        Assert.IsFalse(snapshot.Truncated);
        Assert.AreEqual(EventChain.OfSnapshot(snapshot.SessionId, snapshot.Turns, snapshot.Truncated), snapshot.Chain);
        var expected = turns.SelectMany(t => new[] { (SnapshotTurn.User, t.Prompt), (SnapshotTurn.Agent, t.Answer) }).ToArray();
        CollectionAssert.AreEqual(expected, snapshot.Turns.Select(t => (t.Role, t.Text)).ToArray());
    }

    /// <summary>An event as protocol v1 defines it, read leniently as a v1 client would.</summary>
    private sealed record V1Event(string Type, long Seq, string Kind, int Index, string Text, string? RunId);
}
