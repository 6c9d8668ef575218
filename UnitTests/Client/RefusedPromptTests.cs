using System.Net.WebSockets;
using AspireResilience.Client;
using Microsoft.Extensions.Time.Testing;

namespace AspireResilience.UnitTests.Client;

/// <summary>
/// A prompt refused with too_many_runs is sent again on the same link, oldest first and one at a
/// time: at the next stream.end, or after RefusedPromptRetryDelay when no run ends first — never
/// lost, and never a burst that could trip the server's frame rate.
/// </summary>
[TestClass]
public sealed class RefusedPromptTests
{
    private static string Refusal(string id) => $$"""{"type":"error","code":"too_many_runs","message":"prompt {{id}}: busy","retryable":true,"promptId":"{{id}}"}""";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    [TestMethod]
    public async Task ARefusedPromptGoesOutAgainWhenARunEnds()
    {
        var (socket, session, _) = await ConnectAsync();
        await using var _session = session;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = await SendAndRefuseAsync(socket, session, timeout.Token);
        Assert.AreEqual("p2", error.PromptId);
        socket.Push("""{"type":"event","seq":1,"kind":"stream.start","index":0,"text":"","runId":"p1"}""");
        socket.Push("""{"type":"event","seq":2,"kind":"stream.end","index":1,"text":"","runId":"p1"}""");

        StringAssert.Contains(await socket.NextSentAsync("\"prompt\"", timeout.Token), "\"id\":\"p2\"");
        Assert.AreEqual(1, session.QueuedPrompts, "still pending until its own answer starts");
        Assert.AreEqual(ConnectionStatus.Open, session.State.Status, "sent again on the same link, no reconnect");
    }

    [TestMethod]
    public async Task ARefusedPromptGoesOutAgainAfterTheRetryDelayWhenNoRunEnds()
    {
        var (socket, session, time) = await ConnectAsync();
        await using var _session = session;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await SendAndRefuseAsync(socket, session, timeout.Token);

        var resent = socket.NextSentAsync("\"prompt\"", timeout.Token);
        time.Advance(RetryDelay - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50, timeout.Token);
        Assert.IsFalse(resent.IsCompleted, "not before the delay");
        time.Advance(TimeSpan.FromMilliseconds(1));
        StringAssert.Contains(await resent, "\"id\":\"p2\"");
    }

    [TestMethod]
    public async Task APromptWhoseAnswerStartedIsNotSentAgain()
    {
        var (socket, session, time) = await ConnectAsync();
        await using var _session = session;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await session.SendPromptAsync("p2", "second", timeout.Token);
        await session.SendPromptAsync("p3", "third", timeout.Token);
        await socket.NextSentAsync("\"p3\"", timeout.Token);
        socket.Push(Refusal("p2"));
        await NextAsync<ServerError>(session, timeout.Token);
        // p2's answer starts anyway (e.g. the client had re-sent it after a reconnect race).
        socket.Push("""{"type":"event","seq":1,"kind":"stream.start","index":0,"text":"","runId":"p2"}""");
        await session.Events.ReadAsync(timeout.Token);

        time.Advance(RetryDelay);
        socket.Push("""{"type":"event","seq":2,"kind":"stream.end","index":1,"text":"","runId":"p2"}""");
        await session.Events.ReadAsync(timeout.Token);
        // The next prompt frame on the wire is the application's own p4, not p2 again.
        await session.SendPromptAsync("p4", "fourth", timeout.Token);
        StringAssert.Contains(await socket.NextSentAsync("\"prompt\"", timeout.Token), "\"id\":\"p4\"");
    }

    [TestMethod]
    public async Task ManyRefusedPromptsGoOutOneAtATimeOldestFirst()
    {
        var (socket, session, time) = await ConnectAsync();
        await using var _session = session;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        foreach (var id in new[] { "p2", "p3", "p4" })
        {
            await session.SendPromptAsync(id, id, timeout.Token);
        }
        await socket.NextSentAsync("\"p4\"", timeout.Token);
        foreach (var id in new[] { "p2", "p3", "p4" })
        {
            socket.Push(Refusal(id));
            await NextAsync<ServerError>(session, timeout.Token);
        }

        socket.Push("""{"type":"event","seq":1,"kind":"stream.start","index":0,"text":"","runId":"p1"}""");
        socket.Push("""{"type":"event","seq":2,"kind":"stream.end","index":1,"text":"","runId":"p1"}""");
        StringAssert.Contains(await socket.NextSentAsync("\"prompt\"", timeout.Token), "\"id\":\"p2\"", "one run ended: one prompt, the oldest");
        // Frames are handled one after another: once the next one reached the application, the
        // stream.end's handling (and every re-send it made) is over.
        socket.Push("""{"type":"event","seq":3,"kind":"message","index":0,"text":"marker"}""");
        while ((await session.Events.ReadAsync(timeout.Token)).Seq < 3) { }
        Assert.IsFalse(socket.DrainSent().Any(f => f.Contains("\"prompt\"", StringComparison.Ordinal)), "not the others at the same stream.end");

        time.Advance(RetryDelay);
        StringAssert.Contains(await socket.NextSentAsync("\"prompt\"", timeout.Token), "\"id\":\"p3\"", "the retry delay sends the next one");
    }

    [TestMethod]
    public void ARetryDelayOfZeroIsRefused()
    {
        var options = Options(new SteppedServerSocket(), TimeProvider.System, TimeSpan.Zero);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ResilientSession.ConnectAsync(options, CancellationToken.None).GetAwaiter().GetResult());
    }

    private static async Task<ServerError> SendAndRefuseAsync(SteppedServerSocket socket, ResilientSession session, CancellationToken cancellationToken)
    {
        await session.SendPromptAsync("p2", "second", cancellationToken);
        await socket.NextSentAsync("\"p2\"", cancellationToken);
        socket.Push(Refusal("p2"));
        return await NextAsync<ServerError>(session, cancellationToken);
    }

    private static async Task<(SteppedServerSocket Socket, ResilientSession Session, FakeTimeProvider Time)> ConnectAsync()
    {
        var socket = new SteppedServerSocket();
        socket.Push(ScriptedSession.Welcome(resumed: false));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var session = await ResilientSession.ConnectAsync(Options(socket, time), CancellationToken.None);
        return (socket, session, time);
    }

    private static ResilientSessionOptions Options(SteppedServerSocket socket, TimeProvider time, TimeSpan? retryDelay = null) => new()
    {
        Endpoint = new Uri("ws://test/ws"),
        AccessTokenProvider = (_, _) => ValueTask.FromResult("token"),
        Connector = (_, _) => ValueTask.FromResult<WebSocket>(socket),
        ReconnectBaseDelay = TimeSpan.Zero,
        RefusedPromptRetryDelay = retryDelay ?? RetryDelay,
        TimeProvider = time,
    };

    private static async Task<T> NextAsync<T>(ResilientSession session, CancellationToken cancellationToken) where T : ConnectionEvent
    {
        while (true)
        {
            if (await session.ConnectionEvents.ReadAsync(cancellationToken) is T wanted) return wanted;
        }
    }
}
