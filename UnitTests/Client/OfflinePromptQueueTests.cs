using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class OfflinePromptQueueTests
{
    [TestMethod]
    public async Task APromptBeyondTheBoundIsRefusedClearlyAndNotQueued()
    {
        var sockets = new Queue<ScriptedServerSocket>([new(ScriptedSession.Welcome(resumed: false), null)]);
        await using var session = await ScriptedSession.ConnectAsync(sockets, maxQueuedPrompts: 2);
        await session.SendPromptAsync("p1", "one", CancellationToken.None);
        await session.SendPromptAsync("p2", "two", CancellationToken.None);

        var refused = await Assert.ThrowsExactlyAsync<PromptQueueFullException>(() => session.SendPromptAsync("p3", "three", CancellationToken.None));

        Assert.AreEqual(2, refused.Limit);
        Assert.Contains("MaxQueuedPrompts", refused.Message);
        Assert.AreEqual(2, session.QueuedPrompts);
    }

    [TestMethod]
    public async Task SendingTheSameIdAgainDoesNotTakeAnotherPlace()
    {
        var sockets = new Queue<ScriptedServerSocket>([new(ScriptedSession.Welcome(resumed: false), null)]);
        await using var session = await ScriptedSession.ConnectAsync(sockets, maxQueuedPrompts: 1);
        await session.SendPromptAsync("p1", "one", CancellationToken.None);

        await session.SendPromptAsync("p1", "one", CancellationToken.None);

        Assert.AreEqual(1, session.QueuedPrompts);
    }

    [TestMethod]
    public async Task QueuedPromptsGoOutAgainOnTheNextConnectionWithTheirIds()
    {
        var second = new ScriptedServerSocket(ScriptedSession.Welcome(resumed: true), null);
        var sockets = new Queue<ScriptedServerSocket>([new(ScriptedSession.Welcome(resumed: false), null), second]);
        await using var session = await ScriptedSession.ConnectAsync(sockets);
        await session.SendPromptAsync("p1", "one", CancellationToken.None);

        session.AbortConnection();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await session.ConnectionEvents.ReadAsync(timeout.Token) is not Welcomed { Generation: 2 }) { }

        Assert.ContainsSingle(second.Sent.Where(s => s.Contains("\"type\":\"prompt\"") && s.Contains("\"id\":\"p1\"")));
    }
}
