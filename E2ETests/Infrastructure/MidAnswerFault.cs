namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// The suites' most common shape: send a prompt, inject a fault while its answer streams, read
/// the answer to its end and prove exactly-once against the uninterrupted reference answer.
/// </summary>
public static class MidAnswerFault
{
    /// <summary>
    /// Sends <paramref name="prompt"/> as run <paramref name="runId"/>, starts <paramref name="fault"/>
    /// when event <paramref name="atIndex"/> of the run arrives, reads the answer to its end, awaits
    /// the fault, and asserts the answer equals the uninterrupted one for the same history, event
    /// for event, with nothing delivered twice.
    /// </summary>
    /// <param name="history">The prompts the session answered before, in order (the reference replays them).</param>
    public static async Task<Answer> StreamThroughAsync(TestEnvironment env, TestSession client, string runId, string prompt, int atIndex,
        Func<Task> fault, long expectedFirstSeq, params string[] history)
    {
        var session = client.Session;
        await session.SendPromptAsync(runId, prompt, Timeouts.Token());
        Task? injected = null;
        var answer = await session.ReadAnswerAsync(runId, expectedFirstSeq, onEvent: e =>
        {
            if (injected is null && e.RunId == runId && e.Index == atIndex) injected = fault();
        });
        Assert.IsNotNull(injected, $"the fault was never injected: run {runId} has no event {atIndex}");
        await injected;

        var reference = await ReferenceAnswers.UninterruptedAsync(env, prompt, history);
        Assert.AreEqual(reference.Text, answer.Text, "the answer that outlived the fault is byte-identical to an uninterrupted one");
        Assert.HasCount(reference.Events.Count, answer.Events, "every event once: start, each chunk, end");
        Assert.AreEqual(0, session.GapsDetected);
        Assert.AreEqual(0, session.DuplicatesDropped, "nothing was delivered twice");
        return answer;
    }
}
