
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
}
