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

        // Nothing was recorded: the same id, sent again once a run ended, starts the run.
        await client.SendTextAsync("""{"type":"prompt","id":"q3","text":"busy answer 3"}""");
        var start = (EventMessage)(await client.ReceiveAsync()).Message!;
        Assert.AreEqual(("q3", EventKinds.StreamStart), (start.RunId, start.Kind));
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
