using AspireResilience.ChaosProxy.Client;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Redis;

namespace AspireResilience.E2ETests.Suite02_MidStream;

[TestClass]
[TestCategory("Suite02")]
public sealed class MidStreamTests : E2ETest<SharedEnvironment>
{

    [TestMethod]
    public async Task CutAtChunkKDeliversTheRestExactlyOnceAndTheAnswerIsIdentical()
    {
        const string prompt = "stream me an answer, please";
        var reference = (await ReferenceAnswers.UninterruptedAsync(Env, prompt)).Text;

        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.SendPromptAsync("cut", prompt, Timeouts.Token());
        var cut = false;
        var answer = await session.ReadAnswerAsync("cut", expectedFirstSeq: 1, onEvent: e =>
        {
            if (!cut && e.Index == 7)
            {
                cut = true;
                session.AbortConnection();
            }
        });

        Assert.IsTrue(cut);
        Assert.AreEqual(reference, answer.Text, "the recovered answer is byte-identical to an uninterrupted one");
        Assert.AreEqual(0, session.GapsDetected);
        var welcome = await session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed);
    }

    [TestMethod]
    public async Task SeveralCutsDuringOneAnswerStillDeliverItExactlyOnce()
    {
        const string prompt = "a long answer cut three times";
        var reference = (await ReferenceAnswers.UninterruptedAsync(Env, prompt)).Text;

        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.SendPromptAsync("cuts", prompt, Timeouts.Token());
        int[] cutAt = [3, 9, 15];
        var answer = await session.ReadAnswerAsync("cuts", expectedFirstSeq: 1, onEvent: e =>
        {
            if (cutAt.Contains(e.Index)) session.AbortConnection();
        });

        Assert.AreEqual(reference, answer.Text);
        Assert.AreEqual(0, session.GapsDetected);
        // Three cuts, three resumes: the first welcome plus one per reconnect.
        Assert.IsTrue((await session.WaitForWelcomeAsync(generation: cutAt.Length + 1)).Resumed);
    }

    [TestMethod]
    // The cut is a ChaosProxy reset on the Backend's Redis hop, which a cluster does not have
    // (MOVED redirects name the nodes' own addresses); the Cluster category kills a master instead.
    [TestCategory(RedisModes.SingleNodeCategory)]
    public async Task RedisLinkCutMidAnswerStillDeliversItExactlyOnce()
    {
        const string prompt = "keep going while redis blinks";
        ExpectErrors("StackExchange.Redis.ConnectionMultiplexer"); // the cut connections are reported, then re-established
        var reference = (await ReferenceAnswers.UninterruptedAsync(Env, prompt)).Text;

        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.SendPromptAsync("blink", prompt, Timeouts.Token());
        Task<int>? cut = null;
        var answer = await session.ReadAnswerAsync("blink", expectedFirstSeq: 1, onEvent: e =>
        {
            // RST on every Backend ↔ Redis connection (commands, pub/sub) while the run is writing.
            if (cut is null && e.Index == 8) cut = Env.ChaosProxy.ResetConnectionsAsync(ChaosProxyNames.Redis, Timeouts.Token());
        });

        Assert.IsGreaterThan(0, await cut!, "the Backend's Redis connections went through the proxy and were cut");
        Assert.AreEqual(reference, answer.Text);
        Assert.AreEqual(0, session.GapsDetected);
    }

    [TestMethod]
    [DataRow(ToxicStream.Upstream, DisplayName = "the prompt never reached the server")]
    [DataRow(ToxicStream.Downstream, DisplayName = "the server's replies never reached the client")]
    public async Task CutRightAfterSendingAPromptStartsExactlyOneRun(ToxicStream lost)
    {
        const string prompt = "did you get that?";
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var sessionId = session.SessionId;
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, lost, "lost"), Timeouts.Token());
        await session.SendPromptAsync("once", prompt, Timeouts.Token());
        if (lost == ToxicStream.Downstream)
        {
            // The server took the prompt: its run is under way before the client hears a thing.
            await Env.Telemetry.WaitForRunEndAsync(sessionId, "once");
        }

        session.AbortConnection();
        await Env.ChaosProxy.RemoveToxicAsync(ChaosProxyNames.Backend, "lost", Timeouts.Token());
        var answers = await session.ReadAnswersAsync(["once"], expectedFirstSeq: 1);

        Assert.AreEqual((await ReferenceAnswers.UninterruptedAsync(Env, prompt)).Text, answers["once"].Text);
        Assert.IsTrue((await session.WaitForWelcomeAsync(generation: 2)).Resumed);
        // The client re-sent the prompt on resume; a second run would show as a second agent.run span.
        await Env.Telemetry.WaitForRunEndAsync(sessionId, "once");
        await session.SendPromptAsync("next", "and then?", Timeouts.Token());
        await session.ReadAnswerAsync("next", expectedFirstSeq: answers["once"].Events[^1].Seq + 1);
        var runs = (await Env.Telemetry.GetSpansAsync(ResourceNames.Backend, null, Timeouts.Token()))
            .Count(s => s.Name == "agent.run" && s.Attributes.GetValueOrDefault("session.id") == sessionId && s.Attributes.GetValueOrDefault("agent.run.id") == "once");
        Assert.AreEqual(1, runs, "exactly one run for the prompt id, however often it was sent");
    }

    [TestMethod]
    public async Task TwoRunsStreamingAtOnceBothCompleteAfterACutWithContinuousIndices()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.SendPromptAsync("left", "the left answer", Timeouts.Token());
        await session.SendPromptAsync("right", "the right answer", Timeouts.Token());
        var cut = false;

        var answers = await session.ReadAnswersAsync(["left", "right"], expectedFirstSeq: 1, onEvent: e =>
        {
            if (!cut && e.RunId == "right" && e.Index == 8)
            {
                cut = true;
                session.AbortConnection();
            }
        });

        Assert.IsTrue(cut);
        Assert.IsTrue((await session.WaitForWelcomeAsync(generation: 2)).Resumed);
        Assert.AreEqual(0, session.DuplicatesDropped + session.GapsDetected);
        foreach (var (runId, answer) in answers)
        {
            // ReadAnswersAsync checked each run's indices 0..n+1; the texts match uninterrupted runs after the context marker.
            var reference = await ReferenceAnswers.UninterruptedAsync(Env, $"the {runId} answer");
            Assert.AreEqual(reference.AfterContext, answer.AfterContext, runId);
        }
    }

    [TestMethod]
    public async Task AcksTrimTheOutboxAndAResumeFromTheAckedSeqStillWorks()
    {
        var token = await RawClient.TokenAsync(Env);
        await using var store = await SessionStoreInspector.ConnectAsync(Env);
        WelcomeMessage welcome;
        await using (var raw = await RawClient.ConnectAsync(Env.BackendWebSocket))
        {
            welcome = await raw.HelloAsync(token);
            await raw.SendAsync(new PromptMessage("p", "acknowledge me"));
            await raw.ReadEventsAsync(until: e => e.Kind == EventKinds.StreamEnd);
            Assert.AreEqual(22, await store.OutboxLengthAsync(welcome.SessionId));
            await raw.SendAsync(new AckMessage(15));
            await Poll.UntilAsync(async () => await store.OutboxLengthAsync(welcome.SessionId) == 7, "the ack trimmed seqs 1..15");
        }

        await using var back = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var resumed = await back.HelloAsync(new HelloMessage(token, welcome.SessionId, 15, welcome.Epoch));
        var replay = await back.ReadEventsAsync(until: e => e.Seq == 22);

        Assert.IsTrue(resumed.Resumed);
        Assert.AreEqual(7, resumed.ReplayCount);
        Assert.AreEqual(16, replay[0].Seq);
        // Below the ack the events are gone: that resume is told so.
        await using var tooOld = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var gap = await tooOld.HelloAsync(new HelloMessage(token, welcome.SessionId, 14, welcome.Epoch));
        Assert.IsFalse(gap.Resumed);
        Assert.AreEqual(ResumeFailureReasons.Gap, gap.Reason);
    }

    [TestMethod]
    public async Task CutUnderASlicerAndLatencyStillRecoversExactlyOnce()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        // Frames arrive split into 1–13 byte slices, 200 µs apart, 30 ± 10 ms late.
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Slicer(7, 6, 200), Timeouts.Token());
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Latency(30, 10), Timeouts.Token());

        await MidAnswerFault.StreamThroughAsync(Env, client, "sliced", "split me into pieces", atIndex: 8, () =>
        {
            client.Session.AbortConnection();
            return Task.CompletedTask;
        }, expectedFirstSeq: 1);

        Assert.IsTrue((await client.Session.WaitForWelcomeAsync(generation: 2)).Resumed);
    }
}
