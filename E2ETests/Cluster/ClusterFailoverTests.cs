using AspireResilience.E2ETests.Suite05_BackendRestart;

namespace AspireResilience.E2ETests.Cluster;

/// <summary>
/// Redis Cluster failover under a live answer: the master of the session's slot is SIGKILLed,
/// its replica is promoted (cluster-node-timeout 1.5 s), and the answer goes on exactly once.
/// Redis replicates asynchronously, so a promoted replica may lack the last writes its master
/// acknowledged; a client that had received such an event hears <c>resumed:false</c> reason
/// <c>gap</c> (Suite01's LastSeqBeyondWhatTheServerSentIsAGapAndTheSessionIsUnharmed pins that
/// answer), never silence. Which of the two a kill meets is down to microseconds, so this case
/// takes the loss out of play: the master's writes are paused until its replica has them all,
/// then it is killed while the run goes on appending (each append now waits on a dead node and
/// lands on the promoted replica).
/// </summary>
[TestClass]
[TestCategory(RedisModes.ClusterCategory)]
public sealed class ClusterFailoverTests : E2ETest<ClusterEnvironment>
{
    // Measured here (2 cores, node timeout 1.5 s): see docs/scaling.md. The ceiling: node timeout,
    // the failover election, the run's lease lapsing (Agent:LeaseDuration) and its adoption scan.
    private static readonly TimeSpan KillToAnswerCompleteBudget = TimeSpan.FromSeconds(15);

    [TestMethod]
    public async Task MasterKilledMidAnswerIsReplacedByItsReplicaAndTheAnswerArrivesExactlyOnce()
    {
        ExpectErrors(RedisRestartTests.OutageErrors);
        await using var nodes = await ClusterNodes.ConnectAsync(Env);
        await using var client = await SessionFactory.ConnectAsync(Env);
        var master = await nodes.MasterOfSessionAsync(client.Session.SessionId);
        var replica = await nodes.ReplicaOfAsync(master);
        var observer = ClusterNodes.Name(Enumerable.Range(0, ClusterNodes.Count).First(i => ClusterNodes.Name(i) != master && ClusterNodes.Name(i) != replica));
        var masterPort = nodes.Port(master);
        var masterInstance = await nodes.InstanceAsync(master);
        var killedPid = 0;

        const string prompt = "tell me a long story while redis fails over";
        var reference = await ReferenceAnswers.UninterruptedAsync(Env, prompt);
        DateTimeOffset? killedAt = null, failFlaggedAt = null, promotedAt = null, lastEventAt = null;
        Task? fault = null;
        await client.Session.SendPromptAsync("p", prompt, Timeouts.Token());
        var answer = await client.Session.ReadAnswerAsync("p", expectedFirstSeq: 1, onEvent: e =>
        {
            if (fault is not null) lastEventAt = TimeProvider.System.GetUtcNow();
            if (fault is null && e.Index == 2) fault = KillAndWatchAsync();
        });
        Assert.IsNotNull(fault, "the master was never killed: the run has no event 2");
        await fault;

        // Exactly once: the answer that outlived the failover is the uninterrupted one, event for event.
        Assert.AreEqual(reference.Text, answer.Text);
        Assert.HasCount(reference.Events.Count, answer.Events);
        Assert.AreEqual(0, client.Session.GapsDetected);
        Assert.AreEqual(0, client.Session.DuplicatesDropped, "nothing was delivered twice");
        Assert.IsNotNull(lastEventAt, "events arrived after the kill");
        // The answer's last event needs the promoted replica: the run's appends go to the session's slot.
        Assert.IsGreaterThan(promotedAt!.Value, lastEventAt.Value, "the answer was finished by the promoted replica, not before the kill took effect");
        Console.WriteLine($"cluster failover: kill → flagged fail {(failFlaggedAt!.Value - killedAt!.Value).TotalMilliseconds:F0} ms, "
            + $"kill → replica promoted {(promotedAt.Value - killedAt.Value).TotalMilliseconds:F0} ms, "
            + $"kill → answer complete at the client {(lastEventAt.Value - killedAt.Value).TotalMilliseconds:F0} ms "
            + $"(promoted → complete {(lastEventAt.Value - promotedAt.Value).TotalMilliseconds:F0} ms)");
        Budget.AssertWithin("Redis Cluster master SIGKILL → answer complete", lastEventAt.Value - killedAt.Value, KillToAnswerCompleteBudget,
            "kill command → the answer's last event at the client, client receive time");

        // The killed node comes back (its AOF and nodes.conf) as the replica of the node that replaced it.
        await Env.Faults.StartAsync(master, killedPid, masterInstance);
        await Poll.UntilAsync(async () => !await nodes.SeesFailedAsync(observer, masterPort) && !await nodes.IsMasterAsync(master),
            $"{master} rejoined as a replica");

        async Task KillAndWatchAsync()
        {
            await nodes.PauseWritesUntilReplicatedAsync(master, TimeSpan.FromSeconds(30));
            killedAt = TimeProvider.System.GetUtcNow();
            killedPid = await Env.Faults.KillAsync(master, masterInstance);
            await Poll.UntilAsync(() => nodes.SeesFailedAsync(observer, masterPort), $"{observer} flags {master} as failed");
            failFlaggedAt = TimeProvider.System.GetUtcNow();
            await Poll.UntilAsync(() => nodes.IsMasterAsync(replica), $"{replica} is promoted");
            promotedAt = TimeProvider.System.GetUtcNow();
        }
    }

    [TestMethod]
    public async Task SlotMovedToAnotherMasterMidAnswerLosesNothingAndDuplicatesNothing()
    {
        await using var nodes = await ClusterNodes.ConnectAsync(Env);
        await using var client = await SessionFactory.ConnectAsync(Env);
        var slot = nodes.SlotOfSession(client.Session.SessionId);
        var source = await nodes.MasterOfSessionAsync(client.Session.SessionId);
        var target = (await nodes.MastersAsync()).First(m => m != source);
        var moved = 0;

        // The slot moves while the run appends to it: MIGRATE, then the new owner answers MOVED.
        await MidAnswerFault.StreamThroughAsync(Env, client, "p", "keep talking while your slot moves", atIndex: 2,
            async () => moved = await nodes.MoveSlotAsync(slot, source, target), expectedFirstSeq: 1);

        Assert.IsGreaterThan(0, moved, "the session's keys were in the slot and moved");
        Assert.AreEqual(0, await nodes.KeysInSlotAsync(source, slot), $"{source} gave the slot away");
        Assert.IsGreaterThan(0, await nodes.KeysInSlotAsync(target, slot), $"{target} holds the session now");
        // And the session goes on from its new home: a resume replays nothing twice, a new answer follows.
        client.Session.AbortConnection();
        Assert.IsTrue((await client.Session.WaitForWelcomeAsync(generation: 2)).Resumed);
        await client.Session.SendPromptAsync("q", "still there?", Timeouts.Token());
        Assert.StartsWith("[context: 2 earlier messages]", (await client.Session.ReadAnswerAsync("q")).Text);
        Assert.AreEqual(0, client.Session.DuplicatesDropped);
    }
}
