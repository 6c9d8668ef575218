using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class ServerErrorTests
{
    [TestMethod]
    public async Task AnErrorFrameReachesTheApplicationAndTheRefusedPromptStaysQueued()
    {
        var socket = new ScriptedServerSocket(ScriptedSession.Welcome(resumed: false), null,
            afterWelcome: ["""{"type":"error","code":"too_many_runs","message":"4 runs are streaming in this session","retryable":true}"""]);
        await using var session = await ScriptedSession.ConnectAsync(new Queue<ScriptedServerSocket>([socket]));
        await session.SendPromptAsync("p5", "one too many", CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ConnectionEvent e;
        while ((e = await session.ConnectionEvents.ReadAsync(timeout.Token)) is not ServerError) { }

        Assert.AreEqual(new ServerError("too_many_runs", "4 runs are streaming in this session", true), e);
        Assert.AreEqual(1, session.QueuedPrompts, "no stream.start: the prompt waits for the next connection");
        Assert.AreEqual(ConnectionStatus.Open, session.State.Status, "an error frame does not drop the link");
    }
}
