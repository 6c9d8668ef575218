using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.Backend;

/// <summary>The adoption scan over the active-run index, against a real redis-server.</summary>
[TestClass]
public sealed class AgentRunServiceTests : RedisStoreTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public async Task MemberWithoutARunIsDroppedByTheScan()
    {
        var sessionId = await NewSessionAsync();
        // What a crash between indexing and recording a run leaves behind.
        await Db.SetAddAsync(SessionKeys.ActiveRuns(SessionKeys.ActiveRunShard(sessionId)), SessionKeys.RunMember(sessionId, "ghost"));
        var runs = Runs();

        await Service(runs).AdoptOrphanedRunsAsync();

        Assert.HasCount(0, await runs.ActiveAsync());
    }

    [TestMethod]
    public async Task FinishedRunIsDroppedByTheScanEvenAfterADuplicatePromptIndexedItAgain()
    {
        var sessionId = await NewSessionAsync();
        var runs = Runs();
        await runs.StartAsync(sessionId, Owner, "c1", "p1", "hello");
        Assert.AreEqual(AppendStatus.Appended, (await runs.AppendAsync(sessionId, "p1", 0, "stream.end", "", finalAnswer: "")).Status);
        await runs.RemoveActiveAsync(sessionId, "p1");
        Assert.AreEqual(StartRunResult.Duplicate, await runs.StartAsync(sessionId, Owner, "c1", "p1", "hello"));

        await Service(runs).AdoptOrphanedRunsAsync();

        Assert.HasCount(0, await runs.ActiveAsync());
    }

    [TestMethod]
    public async Task RunUnderALiveLeaseIsLeftToItsOwner()
    {
        var sessionId = await NewSessionAsync();
        var owner = Runs();
        await owner.StartAsync(sessionId, Owner, "c1", "p1", "hello");
        var other = Runs();

        await Service(other).AdoptOrphanedRunsAsync();

        CollectionAssert.AreEqual(new[] { SessionKeys.RunMember(sessionId, "p1") }, (await other.ActiveAsync()).ToArray());
        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await other.TryTakeOverAsync(sessionId, "p1"));
    }

    private AgentRunService Service(RunStore runs)
    {
        var options = Options.Create(new AgentOptions { LeaseDuration = LeaseDuration });
        var runner = new AgentRunner(runs, new DeterministicAgent(options), options, Time, NullLogger<AgentRunner>.Instance);
        return new AgentRunService(runner, runs, options, Time, NullLogger<AgentRunService>.Instance);
    }
}
