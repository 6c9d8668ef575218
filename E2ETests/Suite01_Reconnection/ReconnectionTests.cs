using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite01_Reconnection;

[TestClass]
[TestCategory("Suite01")]
public sealed class ReconnectionTests : E2ETest<SharedEnvironment>
{
    private static readonly TimeSpan ResumeBudget = TimeSpan.FromMilliseconds(500);

    /// <summary>DESIGN.md §10: the Backend's own part of a resume (one Lua attach), not the client's whole reconnect.</summary>
    private static readonly TimeSpan BackendAttachBudget = TimeSpan.FromMilliseconds(50);

    [TestMethod]
    public async Task PromptStreamsTheFullAnswerInOrder()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);

        await client.Session.SendPromptAsync("p1", "what keeps a session alive?", Timeouts.Token());
        var answer = await client.Session.ReadAnswerAsync("p1", expectedFirstSeq: 1);

        Assert.AreEqual(EventKinds.StreamStart, answer.Events[0].Kind);
        Assert.AreEqual(EventKinds.StreamEnd, answer.Events[^1].Kind);
        Assert.AreEqual(22, answer.Events.Count, "start + 20 chunks + end");
        Assert.StartsWith("[context: 0 earlier messages]", answer.Text);
        Assert.AreEqual(0, client.Session.DuplicatesDropped);
    }

    [TestMethod]
    public async Task ClientAbortResumesTheSameSessionWithItsContext()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.SendPromptAsync("first", "remember me", Timeouts.Token());
        var first = await session.ReadAnswerAsync("first", expectedFirstSeq: 1);
        var sessionId = session.SessionId;

        session.AbortConnection();
        var welcome = await session.WaitForWelcomeAsync(generation: 2);

        Assert.IsTrue(welcome.Resumed, $"resume failed: {welcome.Reason}");
        Assert.AreEqual(sessionId, welcome.SessionId);
        await session.SendPromptAsync("second", "what did I say?", Timeouts.Token());
        var second = await session.ReadAnswerAsync("second", expectedFirstSeq: first.Events[^1].Seq + 1);
        Assert.StartsWith("[context: 2 earlier messages]", second.Text, "the follow-up sees the first prompt and its answer");
    }

    [TestMethod]
    public async Task TenImmediateDisconnectResumeCyclesKeepContextAndSeqContinuous()
    {
        // No backoff: each abort is followed at once by a reconnect, even right after a welcome.
        await using var client = await SessionFactory.ConnectAsync(Env, reconnectBaseDelay: TimeSpan.Zero);
        var session = client.Session;
        var sessionId = session.SessionId;
        long nextSeq = 1;
        for (var cycle = 1; cycle <= 10; cycle++)
        {
            await session.SendPromptAsync($"turn-{cycle}", $"cycle {cycle}", Timeouts.Token());
            var answer = await session.ReadAnswerAsync($"turn-{cycle}", expectedFirstSeq: nextSeq);
            Assert.StartsWith($"[context: {2 * (cycle - 1)} earlier messages]", answer.Text);
            nextSeq = answer.Events[^1].Seq + 1;

            session.AbortConnection();
            var welcome = await session.WaitForWelcomeAsync(generation: cycle + 1);
            Assert.IsTrue(welcome.Resumed, $"cycle {cycle}: {welcome.Reason}");
            Assert.AreEqual(sessionId, welcome.SessionId);
        }
        Assert.AreEqual(0, session.GapsDetected);
    }

    [TestMethod]
    public async Task UnknownSessionIdGetsAFreshSessionWithReasonUnknown()
    {
        var user = Env.Users.Next();
        await using var first = await SessionFactory.ConnectAsync(Env, user);

        await using var client = await SessionFactory.ResumeAsync(Env, user, "never-issued-session", lastSeq: 3, first.Session.Epoch);

        var welcome = await client.Session.WaitForWelcomeAsync(generation: 1);
        Assert.IsFalse(welcome.Resumed);
        Assert.AreEqual(ResumeFailureReasons.Unknown, welcome.Reason);
        Assert.AreNotEqual("never-issued-session", welcome.SessionId);
        await client.Session.SendPromptAsync("p", "fresh start", Timeouts.Token());
        var answer = await client.Session.ReadAnswerAsync("p", expectedFirstSeq: 1);
        Assert.StartsWith("[context: 0 earlier messages]", answer.Text, "a fresh session starts with no context");
    }

    [TestMethod]
    public async Task AnotherUsersValidTokenCannotResumeTheSessionAndTheOwnerStillCan()
    {
        var owner = Env.Users.Next();
        await using var client = await SessionFactory.ConnectAsync(Env, owner);
        await client.Session.SendPromptAsync("mine", "private context", Timeouts.Token());
        var answer = await client.Session.ReadAnswerAsync("mine", expectedFirstSeq: 1);
        var (sessionId, epoch) = (client.Session.SessionId, client.Session.Epoch);

        var thief = await Assert.ThrowsAsync<AspireResilience.Client.SessionClosedException>(
            () => SessionFactory.ResumeAsync(Env, Env.Users.Next(), sessionId, 0, epoch));
        Assert.AreEqual(CloseCodes.Forbidden, thief.CloseCode);

        client.Session.AbortConnection();
        var welcome = await client.Session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed, "the owner's session is untouched");
        Assert.AreEqual(answer.Events[^1].Seq, client.Session.LastSeq);
    }

    [TestMethod]
    public async Task LastSeqBeyondWhatTheServerSentIsAGapAndTheSessionIsUnharmed()
    {
        var user = Env.Users.Next();
        await using var client = await SessionFactory.ConnectAsync(Env, user);
        await client.Session.SendPromptAsync("p", "count me", Timeouts.Token());
        var answer = await client.Session.ReadAnswerAsync("p", expectedFirstSeq: 1);
        var (sessionId, epoch, top) = (client.Session.SessionId, client.Session.Epoch, answer.Events[^1].Seq);

        // What a client hears after a Redis failover lost events it had received: not silence, a gap.
        await using (var ahead = await SessionFactory.ResumeAsync(Env, user, sessionId, top + 100, epoch))
        {
            var refused = await ahead.Session.WaitForWelcomeAsync(generation: 1);
            Assert.IsFalse(refused.Resumed);
            Assert.AreEqual(ResumeFailureReasons.Gap, refused.Reason);
            Assert.AreNotEqual(sessionId, refused.SessionId, "a fresh session");
        }

        // The refused hello changed nothing: a correct resume continues the same seq line.
        // (lastSeq = top: the client has acked everything, so an older lastSeq would rightly be a gap.)
        await using var resumed = await SessionFactory.ResumeAsync(Env, user, sessionId, top, epoch);
        var welcome = await resumed.Session.WaitForWelcomeAsync(generation: 1);
        Assert.IsTrue(welcome.Resumed, welcome.Reason);
        Assert.AreEqual(0, welcome.ReplayCount);
        await resumed.Session.SendPromptAsync("q", "and now?", Timeouts.Token());
        var next = await resumed.Session.ReadAnswerAsync("q", expectedFirstSeq: top + 1);
        Assert.StartsWith("[context: 2 earlier messages]", next.Text);
    }

    [TestMethod]
    public async Task ResumeIsOneTraceFromClientReconnectToBackendResumeWithinBudget()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.SendPromptAsync("warm", "hello", Timeouts.Token());
        await session.ReadAnswerAsync("warm");
        var sessionId = session.SessionId;

        session.AbortConnection();
        await session.WaitForWelcomeAsync(generation: 2);

        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        var traceId = reconnect.TraceId.ToHexString();
        // One distributed trace: the client's reconnect → the backend's connection → its short hello → the resume.
        var hello = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, traceId, "session.hello", Timeouts.Telemetry);
        var resume = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, traceId, "session.resume", Timeouts.Telemetry,
            span => span.ParentSpanId == hello.SpanId);
        Assert.AreEqual("true", resume.Attributes["session.resumed"]);
        Budget.AssertWithin("client abort (backend alive): detected → resumed", reconnect.Duration, ResumeBudget, "client.reconnect span");
        Budget.AssertWithin("the backend's own attach and replay lookup: session.resume", resume.Duration, BackendAttachBudget, "backend session.resume span");

        // The connection span is exported when the connection ends: it parents the hello, under the client's reconnect.
        await client.DisposeAsync();
        var connection = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, traceId, "ws.connection", Timeouts.Telemetry,
            span => span.ParentSpanId == reconnect.SpanId.ToHexString());
        Assert.AreEqual(connection.SpanId, hello.ParentSpanId, "session.hello is a child of ws.connection");
        Assert.IsLessThan(connection.Duration, hello.Duration, "the hello is short; the connection lasts");
    }
}
