using AspireResilience.E2ETests.Suite07_Heartbeat;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite06_Flapping;

/// <summary>
/// Beyond Suite06's list: one session cannot exhaust the service with runs or context. On
/// <see cref="HeartbeatEnvironment"/>, whose quotas are small enough to reach (2 runs in flight, 4 context turns).
/// </summary>
[TestClass]
[TestCategory("Suite06")]
public sealed class QuotaTests : E2ETest<HeartbeatEnvironment>
{
    [TestMethod]
    public async Task APromptBeyondTheRunsInFlightQuotaIsAnsweredTooManyRunsAndMaySimplyComeAgain()
    {
        await using var client = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await client.HelloAsync(await RawClient.TokenAsync(Env));
        for (var run = 1; run <= HeartbeatEnvironment.MaxRunsPerSession + 1; run++)
        {
            await client.SendTextAsync($$"""{"type":"prompt","id":"q{{run}}","text":"busy answer {{run}}"}""");
        }

        ErrorMessage? refused = null;
        var ended = 0;
        while (ended < HeartbeatEnvironment.MaxRunsPerSession)
        {
            switch ((await client.ReceiveAsync()).Message)
            {
                case ErrorMessage error:
                    Assert.IsNull(refused, "only the prompt over the quota is refused");
                    refused = error;
                    break;
                case EventMessage e:
                    Assert.AreNotEqual("q3", e.RunId, "the refused prompt did not start a run");
                    if (e.Kind == EventKinds.StreamEnd) ended++;
                    break;
            }
        }
        Assert.IsNotNull(refused, "the third prompt got an answer");
        Assert.AreEqual(ErrorCodes.TooManyRuns, refused.Code);
        Assert.IsTrue(refused.Retryable, "too_many_runs is retryable");
        StringAssert.Contains(refused.Message, "q3");
        Assert.AreEqual("q3", refused.PromptId, "v1.1: the refusal names the prompt");

        // Nothing was recorded: the same id, sent again once a run ended, starts the run.
        await client.SendTextAsync("""{"type":"prompt","id":"q3","text":"busy answer 3"}""");
        var start = (EventMessage)(await client.ReceiveAsync()).Message!;
        Assert.AreEqual(("q3", EventKinds.StreamStart), (start.RunId, start.Kind));
    }

    [TestMethod]
    public async Task TheReferenceClientSendsARefusedPromptAgainWhenARunEndsWithoutReconnecting()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        await session.WaitForWelcomeAsync(generation: 1);
        string[] prompts = ["r1", "r2", "r3"];
        foreach (var id in prompts)
        {
            await session.SendPromptAsync(id, $"busy answer {id}", Timeouts.Token());
        }

        var answers = await session.ReadAnswersAsync(prompts, expectedFirstSeq: 1);

        // The server refused r3 (two runs were streaming) and said which prompt it refused…
        var events = await session.ReadConnectionEventsAsync(e => e is ServerError, Timeouts.Token(TimeSpan.FromSeconds(5)));
        var refused = (ServerError)events[^1];
        Assert.AreEqual((ErrorCodes.TooManyRuns, "r3"), (refused.Code, refused.PromptId));
        // …and r3 still got its whole answer, started only after a run had ended, on the first connection.
        var firstEnd = new[] { answers["r1"], answers["r2"] }.Min(a => a.Events[^1].Seq);
        Assert.IsTrue(answers["r3"].Events[0].Seq > firstEnd, "r3 started after one of the runs that filled the quota ended");
        Assert.IsFalse(string.IsNullOrEmpty(answers["r3"].Text), "r3 was answered");
        Assert.AreEqual(0, session.QueuedPrompts);
        var later = new List<ConnectionEvent>();
        while (session.ConnectionEvents.TryRead(out var e)) later.Add(e);
        Assert.IsFalse(events.Concat(later).Any(e => e is Disconnected), $"sent again on the live link, no reconnect: {string.Join(", ", events.Concat(later))}");
    }

    [TestMethod]
    public async Task TheContextKeepsOnlyItsLastTurns()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var seen = new List<string>();
        for (var turn = 1; turn <= 4; turn++)
        {
            await session.SendPromptAsync($"t{turn}", $"turn {turn}", Timeouts.Token());
            var answer = await session.ReadAnswerAsync($"t{turn}");
            seen.Add(answer.Text[..answer.Text.IndexOf(']')]);
        }
        // Each answered prompt adds two turns (the prompt and its answer); four are kept.
        CollectionAssert.AreEqual(new[]
        {
            "[context: 0 earlier messages", "[context: 2 earlier messages", "[context: 4 earlier messages", "[context: 4 earlier messages",
        }, seen);
    }
}
