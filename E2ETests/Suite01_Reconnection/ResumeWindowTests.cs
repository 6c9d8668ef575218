using AspireResilience.Protocol;
using AspireResilience.TestSupport.Redis;

namespace AspireResilience.E2ETests.Suite01_Reconnection;

/// <summary>Resume windows, with a window short enough to outlast in a test.</summary>
[TestClass]
[TestCategory("Suite01")]
public sealed class ResumeWindowTests : E2ETest<ResumeWindowEnvironment>
{
    private static TimeSpan Window => ResumeWindowEnvironment.Window;

    [TestMethod]
    public async Task ResumeWellInsideTheWindowKeepsTheSession()
    {
        var user = Env.Users.Next();
        string sessionId, epoch;
        long lastSeq;
        await using (var client = await SessionFactory.ConnectAsync(Env, user))
        {
            await client.Session.SendPromptAsync("p", "short stay", Timeouts.Token());
            lastSeq = (await client.Session.ReadAnswerAsync("p", expectedFirstSeq: 1)).Events[^1].Seq;
            (sessionId, epoch) = (client.Session.SessionId, client.Session.Epoch);
        }

        await using var back = await SessionFactory.ResumeAsync(Env, user, sessionId, lastSeq, epoch);

        var welcome = await back.Session.WaitForWelcomeAsync(generation: 1);
        Assert.IsTrue(welcome.Resumed);
        Assert.AreEqual((long)Window.TotalSeconds, welcome.ResumeWindowSec);
    }

    [TestMethod]
    public async Task ResumeAfterTheWindowSaysExpiredAndStartsAFreshSessionWithNothingOfTheOld()
    {
        var user = Env.Users.Next();
        string sessionId, epoch;
        await using (var client = await SessionFactory.ConnectAsync(Env, user))
        {
            await client.Session.SendPromptAsync("p", "forget me", Timeouts.Token());
            await client.Session.ReadAnswerAsync("p", expectedFirstSeq: 1);
            (sessionId, epoch) = (client.Session.SessionId, client.Session.Epoch);
        }

        // The scenario itself: the client stays away longer than the window (not a wait for an event).
        await Task.Delay(Window + TimeSpan.FromSeconds(1));
        await using var late = await SessionFactory.ResumeAsync(Env, user, sessionId, lastSeq: 0, epoch);

        var welcome = await late.Session.WaitForWelcomeAsync(generation: 1);
        Assert.IsFalse(welcome.Resumed);
        Assert.AreEqual(ResumeFailureReasons.Expired, welcome.Reason);
        Assert.AreNotEqual(sessionId, welcome.SessionId);
        Assert.AreEqual(0, welcome.ReplayCount);
        await late.Session.SendPromptAsync("q", "anyone there?", Timeouts.Token());
        var answer = await late.Session.ReadAnswerAsync("q", expectedFirstSeq: 1);
        Assert.StartsWith("[context: 0 earlier messages]", answer.Text, "nothing of the old session leaks into the new one");
    }

    [TestMethod]
    [TestCategory("Suite03")]
    public async Task EventsQueuedForAnAbsentClientLastTheWindowThenAreGoneAndSaidToBe()
    {
        var token = await RawClient.TokenAsync(Env);
        var welcome = await RawClient.PromptAndLeaveAsync(Env.BackendWebSocket, token, new PromptMessage("p", "answer nobody will read in time"));
        await Env.Telemetry.WaitForRunEndAsync(welcome.SessionId, "p");
        await using var store = await SessionStoreInspector.ConnectAsync(Env);
        Assert.AreEqual(22, await store.OutboxLengthAsync(welcome.SessionId), "the answer waits for its client");

        // The window passes with the client away: Redis expires the queued events by their TTL.
        await Poll.UntilAsync(async () => await store.OutboxLengthAsync(welcome.SessionId) == 0, "the outbox expired with the window");
        await using var late = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var answer = await late.HelloAsync(new HelloMessage(token, welcome.SessionId, 0, welcome.Epoch));

        Assert.IsFalse(answer.Resumed);
        Assert.AreEqual(ResumeFailureReasons.Expired, answer.Reason, "the loss is said, not silent");
        Assert.AreEqual(0, answer.ReplayCount);
        Assert.AreEqual(0, await store.OutboxLengthAsync(welcome.SessionId), "no queued event is left");
        Assert.AreEqual(0, await store.ContextLengthAsync(welcome.SessionId), "no turn of the conversation is left");
    }
}
