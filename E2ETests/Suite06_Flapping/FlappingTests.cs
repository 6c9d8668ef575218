using System.Globalization;
using System.Threading.Channels;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite06_Flapping;

/// <summary>
/// Suite06 #1, #3, #4, #5 and #7: clients that reconnect in a tight loop, against the shared
/// AppHost at its default limits (20 hellos per session and 120 per user in 10 s).
/// </summary>
[TestClass]
[TestCategory("Suite06")]
public sealed class FlappingTests : E2ETest<SharedEnvironment>
{
    private const int DefaultReconnectsPerSession = 20;
    private static readonly TimeSpan DefaultReconnectWindow = TimeSpan.FromSeconds(10);

    // DESIGN.md §10 budgets disconnect → resumed with the backend alive at 250 ms, on a quiet
    // machine. With 20 clients flapping beside it on 2 shared cores the stable client measured
    // p50 4–117 ms and 238 ms at worst in five runs: twice that worst is the ceiling here.
    private static readonly TimeSpan ResumeBudget = TimeSpan.FromMilliseconds(500);

    [TestMethod]
    public async Task FiftyReconnectsOnOneSessionInAFewSecondsAreClosed4029WithTheRetryAfter()
    {
        var (token, created) = await RawSessions.CreateAsync(Env);
        var baseline = await BackendSockets.CountAsync(Env);

        var welcomed = 0;
        var retryAfters = new List<long>();
        for (var cycle = 0; cycle < 50; cycle++)
        {
            var (client, answer) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, created.SessionId, 0, created.Epoch);
            await using (client)
            {
                if (answer.Message is WelcomeMessage welcome)
                {
                    Assert.IsTrue(welcome.Resumed, $"cycle {cycle}: {welcome.Reason}");
                    Assert.IsEmpty(retryAfters, "once over the limit, a hello stays refused until the window ends");
                    welcomed++;
                    continue;
                }
                Assert.AreEqual(CloseCodes.TooManyReconnects, (int?)answer.CloseStatus, $"cycle {cycle}: {answer.Json}");
                retryAfters.Add(long.Parse(answer.CloseDescription!, NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }

        Assert.AreEqual(DefaultReconnectsPerSession, welcomed, "the default limit: 20 resumes per session in a 10 s window");
        Assert.HasCount(50 - DefaultReconnectsPerSession, retryAfters);
        Assert.IsTrue(retryAfters.All(ms => ms > 0 && ms <= DefaultReconnectWindow.TotalMilliseconds),
            "the retry-after is what is left of the window: " + string.Join(", ", retryAfters));
        CollectionAssert.AreEqual(retryAfters.OrderDescending().ToList(), retryAfters, "the same window drains: each retry-after is no longer than the one before");
        Console.WriteLine($"4029 after {welcomed} resumes; retry-after {retryAfters[0]} ms … {retryAfters[^1]} ms");

        foreach (var replica in Env.Faults.Instances(ResourceNames.Backend))
        {
            using var http = new HttpClient { BaseAddress = ResourceInstance.Read(Env.App, ResourceNames.Backend, replica).Address };
            using var health = await http.GetAsync("/health", Timeouts.Token());
            Assert.IsTrue(health.IsSuccessStatusCode, $"{replica} is healthy after the flapping: {health.StatusCode}");
        }
        var after = await BackendSockets.WaitForAtMostAsync(Env, baseline);
        Console.WriteLine($"Backend connections: {baseline} before, {after} after");
    }

    [TestMethod]
    public async Task LinkTogglingDownAndUpEvery200MsEndsResumedAndExactlyOnce()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var sessionId = session.SessionId;
        Env.ClientSpans.Clear();

        await MidAnswerFault.StreamThroughAsync(Env, client, "toggled", "flap the link while I answer", atIndex: 2,
            fault: ToggleLinkAsync, expectedFirstSeq: 1);

        Assert.AreEqual(sessionId, session.SessionId, "the same session throughout");
        var reconnects = Env.ClientSpans.Finished
            .Where(a => a.OperationName == "client.reconnect" && (string?)a.GetTagItem(ClientTelemetry.SessionId) == sessionId).ToArray();
        Assert.IsNotEmpty(reconnects, "the toggling dropped the link");
        Assert.IsTrue(reconnects.All(a => a.GetTagItem(ClientTelemetry.SessionResumed) is true), "every reconnect resumed the session");
        Console.WriteLine($"{reconnects.Length} reconnects while the link flapped");

        // The session goes on after the storm: the next answer continues the seq.
        await session.SendPromptAsync("after", "still there?", Timeouts.Token());
        await session.ReadAnswerAsync("after", expectedFirstSeq: session.LastSeq + 1);

        static async Task ToggleLinkAsync()
        {
            // The fault itself: the link goes down and up every 200 ms for about three seconds.
            for (var toggle = 0; toggle < 8; toggle++)
            {
                await Env.ChaosProxy.SetEnabledAsync(ChaosProxyNames.Backend, false, Timeouts.Token());
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                await Env.ChaosProxy.SetEnabledAsync(ChaosProxyNames.Backend, true, Timeouts.Token());
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }

    [TestMethod]
    public async Task AStableClientResumesWithinBudgetWhileTwentyOthersFlap()
    {
        const int flappers = 20;
        await using var stable = await SessionFactory.ConnectAsync(Env, reconnectBaseDelay: TimeSpan.Zero);
        var clients = await Task.WhenAll(Enumerable.Range(0, flappers).Select(_ => SessionFactory.ConnectAsync(Env, reconnectBaseDelay: TimeSpan.Zero)));
        using var stop = new CancellationTokenSource();
        var cycles = 0;
        try
        {
            var session = stable.Session;
            await session.SendPromptAsync("steady", "answer me while the others flap", Timeouts.Token());
            // The others flap until told to stop, so every measured resume happens inside the storm
            // (past their limit they wait out a 4029, as flapping clients should).
            var storm = Task.WhenAll(clients.Select(c => FlapUntilStoppedAsync(c.Session, stop.Token, () => Interlocked.Increment(ref cycles))));

            for (var generation = 2; generation <= 6; generation++)
            {
                Env.ClientSpans.Clear();
                session.AbortConnection();
                Assert.IsTrue((await session.WaitForWelcomeAsync(generation)).Resumed);
                var reconnect = await Env.ClientSpans.WaitForReconnectAsync(session.SessionId);
                Budget.AssertWithin("stable client's disconnect while 20 others flap: detected → resumed", reconnect.Duration, ResumeBudget, "client.reconnect span");
            }
            var answer = await session.ReadAnswerAsync("steady", expectedFirstSeq: 1);
            if (storm.IsFaulted) await storm; // a flapping client's own failure, as it is
            Assert.IsFalse(storm.IsCompleted, "the storm lasted as long as the measurements");
            await stop.CancelAsync();
            await storm;

            Console.WriteLine($"{Volatile.Read(ref cycles)} reconnects of the flapping clients meanwhile");
            Assert.IsGreaterThanOrEqualTo(flappers, Volatile.Read(ref cycles), "the others really flapped");
            var reference = await ReferenceAnswers.UninterruptedAsync(Env, "answer me while the others flap");
            Assert.AreEqual(reference.Text, answer.Text, "the stable client's answer is untouched by the storm");
            Assert.IsTrue(clients.All(c => c.Session.GapsDetected == 0 && c.Session.DuplicatesDropped == 0));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }

        static async Task FlapUntilStoppedAsync(ResilientSession session, CancellationToken stop, Action flapped)
        {
            try
            {
                for (var generation = 2; ; generation++)
                {
                    session.AbortConnection();
                    Assert.IsTrue((await session.WaitForWelcomeAsync(generation, stop)).Resumed);
                    flapped();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Told to stop, possibly while waiting out a 4029.
            }
        }
    }

    [TestMethod]
    public async Task TwoConnectionsRacingToAttachOneSessionLeaveOneAttachedAndTheOther4000()
    {
        var (token, created) = await RawSessions.CreateAsync(Env, prompt: "who wins?");

        var a = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var b = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await using (a)
        await using (b)
        {
            var hello = new HelloMessage(token, created.SessionId, 0, created.Epoch);
            var answers = await Task.WhenAll(a.SendHelloAsync(hello), b.SendHelloAsync(hello));
            var heard = new[] { Channel.CreateUnbounded<ServerMessage>(), Channel.CreateUnbounded<ServerMessage>() };
            var closes = new[] { ListenAsync(a, answers[0], heard[0]), ListenAsync(b, answers[1], heard[1]) };

            var loser = Array.IndexOf(closes, await Task.WhenAny(closes).WaitAsync(Timeouts.Default));
            Assert.AreEqual(CloseCodes.Superseded, (int?)(await closes[loser]).CloseStatus, "the connection that lost the race is closed 4000 (superseded)");
            var winner = 1 - loser;
            Assert.IsInstanceOfType<WelcomeMessage>(answers[winner].Message, "the winner was welcomed");

            await (winner == 0 ? a : b).SendTextAsync("""{"type":"prompt","id":"after","text":"only once, please"}""");
            var seqs = new List<long>();
            while (true)
            {
                if (await heard[winner].Reader.ReadAsync(Timeouts.Token()) is not EventMessage e) continue;
                seqs.Add(e.Seq);
                if (e.RunId == "after" && e.Kind == EventKinds.StreamEnd) break;
            }
            CollectionAssert.AreEqual(Enumerable.Range(1, seqs.Count).Select(s => (long)s).ToList(), seqs,
                "the winner saw the replay and the next answer, every seq once and in order");
            Assert.AreEqual(44, seqs.Count, "two answers of 22 events");
            Assert.IsFalse(closes[winner].IsCompleted, "the winner stays attached");
        }

        static async Task<Received> ListenAsync(RawClient client, Received first, Channel<ServerMessage> heard)
        {
            for (var received = first; ; received = await client.ReceiveAsync())
            {
                if (received.IsClose) return received;
                heard.Writer.TryWrite(received.Message!);
            }
        }
    }

    [TestMethod]
    public async Task AReconnectInTheMiddleOfAReplayStartsTheNextReplayAtTheRightSeq()
    {
        var (token, created) = await RawSessions.CreateAsync(Env, prompt: "replay me twice");

        // A resume from the start, cut after five replayed events (no close frame: the network dropped).
        var (cut, answer) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, created.SessionId, 0, created.Epoch);
        await using (cut)
        {
            Assert.AreEqual(22, ((WelcomeMessage)answer.Message!).ReplayCount);
            for (var seq = 1; seq <= 5; seq++)
            {
                Assert.AreEqual(seq, ((EventMessage)(await cut.ReceiveAsync()).Message!).Seq);
            }
            cut.Abort();
        }

        var (next, resumed) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, created.SessionId, 5, created.Epoch);
        await using (next)
        {
            var welcome = (WelcomeMessage)resumed.Message!;
            Assert.IsTrue(welcome.Resumed);
            Assert.AreEqual(17, welcome.ReplayCount, "the second replay is what the first did not deliver");
            for (var seq = 6; seq <= 22; seq++)
            {
                Assert.AreEqual(seq, ((EventMessage)(await next.ReceiveAsync()).Message!).Seq, "the replay starts at lastSeq + 1 and has no hole");
            }
        }
    }
}
