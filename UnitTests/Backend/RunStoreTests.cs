using System.Text.Json;
using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Sessions;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>Run checkpoints and leases against a real redis-server (DESIGN.md §6).</summary>
[TestClass]
public sealed class RunStoreTests : RedisStoreTestBase
{
    private static readonly TimeSpan JustPastTheLease = LeaseDuration + TimeSpan.FromMilliseconds(1);
    private string _sessionId = null!;

    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestInitialize]
    public async Task CreateSessionAsync() => _sessionId = await Sessions().CreateAsync(Owner, Epoch, "c1");

    [TestMethod]
    public async Task StartingTheSameRunTwiceIsADuplicateAndMakesOneRun()
    {
        var runs = Runs();

        Assert.AreEqual(StartRunResult.Started, await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello"));
        Assert.AreEqual(StartRunResult.Duplicate, await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello again"));
        Assert.AreEqual(StartRunResult.Duplicate, await Runs().StartAsync(_sessionId, Owner, "c1", "p1", "from a replica"));

        Assert.AreEqual(new RunState("hello", 0, 0, false), await runs.GetAsync(_sessionId, "p1"));
        Assert.AreEqual(1, await Db.ListLengthAsync(SessionKeys.Context(_sessionId)));
        CollectionAssert.AreEqual(new[] { SessionKeys.RunMember(_sessionId, "p1") }, (await runs.ActiveAsync()).ToArray());
    }

    [TestMethod]
    public async Task PromptResentAfterAFailedStartStartsTheRunAndIndexesIt()
    {
        var runs = Runs();
        // The active-run index answers WRONGTYPE: the same as a process dying at that step.
        await Db.StringSetAsync(SessionKeys.ActiveRuns(SessionKeys.ActiveRunShard(_sessionId)), "not a set");
        await Assert.ThrowsExactlyAsync<RedisServerException>(() => runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello"));
        await Db.KeyDeleteAsync(SessionKeys.ActiveRuns(SessionKeys.ActiveRunShard(_sessionId)));

        var resent = await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello");

        Assert.AreEqual(StartRunResult.Started, resent, "nothing was recorded, so the re-sent prompt starts the run");
        CollectionAssert.AreEqual(new[] { SessionKeys.RunMember(_sessionId, "p1") }, (await runs.ActiveAsync()).ToArray());
    }

    [TestMethod]
    public async Task RemovedRunIsNoLongerActive()
    {
        var runs = Runs();
        await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello");

        await runs.RemoveActiveAsync(_sessionId, "p1");

        Assert.HasCount(0, await runs.ActiveAsync());
    }

    [TestMethod]
    public async Task LatePromptFromASupersededConnectionStartsNothing()
    {
        var runs = Runs();
        await Sessions().AttachAsync(_sessionId, Owner, 0, "c2");

        Assert.AreEqual(StartRunResult.Superseded, await runs.StartAsync(_sessionId, Owner, "c1", "p1", "late"));

        Assert.IsNull(await runs.GetAsync(_sessionId, "p1"));
        Assert.HasCount(0, await runs.ActiveAsync());
        Assert.AreEqual(StartRunResult.Started, await runs.StartAsync(_sessionId, Owner, "c2", "p1", "from the new socket"));
    }

    [TestMethod]
    public async Task StartOnAForeignOrMissingSessionIsSessionGone()
    {
        var runs = Runs();

        Assert.AreEqual(StartRunResult.SessionGone, await runs.StartAsync(_sessionId, "mallory", "c1", "p1", "hi"));
        Assert.AreEqual(StartRunResult.SessionGone, await runs.StartAsync("no-such-session", Owner, "c1", "p1", "hi"));
        Assert.IsNull(await runs.GetAsync(_sessionId, "p1"));
        Assert.HasCount(0, await runs.ActiveAsync());
    }

    [TestMethod]
    public async Task AppendWithAWrongIndexIsRefusedWithoutConsumingASeq()
    {
        var runs = Runs();
        await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello");
        Assert.AreEqual(Appended(1), await runs.AppendAsync(_sessionId, "p1", 0, "stream.start", "", null));

        Assert.AreEqual(LeaseLost, await runs.AppendAsync(_sessionId, "p1", 2, "stream.chunk", "skipped ahead", null));
        Assert.AreEqual(LeaseLost, await runs.AppendAsync(_sessionId, "p1", 0, "stream.start", "written twice", null));

        Assert.AreEqual(Appended(2), await runs.AppendAsync(_sessionId, "p1", 1, "stream.chunk", "a", null));
        Assert.AreEqual(2, (await runs.GetAsync(_sessionId, "p1"))!.Next);
        CollectionAssert.AreEqual(new long[] { 1, 2 }, (await Sessions().ReadAsync(_sessionId, 1)).Select(e => e.Seq).ToArray());
    }

    [TestMethod]
    public async Task AppendToAnUnknownRunIsRefused() =>
        Assert.AreEqual(LeaseLost, await Runs().AppendAsync(_sessionId, "never-started", 0, "stream.start", "", null));

    [TestMethod]
    public async Task TakeOverWaitsForTheLeaseToLapseAndThenFencesOutTheOldOwner()
    {
        var first = Runs();
        var second = Runs();
        await first.StartAsync(_sessionId, Owner, "c1", "p1", "hello");
        Assert.AreEqual(Appended(1), await first.AppendAsync(_sessionId, "p1", 0, "stream.start", "", null));

        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await second.TryTakeOverAsync(_sessionId, "p1"));
        Time.Advance(LeaseDuration);
        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await second.TryTakeOverAsync(_sessionId, "p1"), "the lease is live up to its last millisecond");
        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.AreEqual(TakeOverResult.TakenOver, await second.TryTakeOverAsync(_sessionId, "p1"));

        Assert.AreEqual(LeaseLost, await first.AppendAsync(_sessionId, "p1", 1, "stream.chunk", "stale", null));
        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await first.TryTakeOverAsync(_sessionId, "p1"), "the new owner's lease is live");
        Assert.AreEqual(Appended(2), await second.AppendAsync(_sessionId, "p1", 1, "stream.chunk", "fresh", null));
    }

    [TestMethod]
    public async Task AppendRenewsTheLease()
    {
        var first = Runs();
        await first.StartAsync(_sessionId, Owner, "c1", "p1", "hello");

        Time.Advance(LeaseDuration * 0.75);
        await first.AppendAsync(_sessionId, "p1", 0, "stream.start", "", null);
        Time.Advance(LeaseDuration * 0.75);

        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await Runs().TryTakeOverAsync(_sessionId, "p1"));
    }

    [TestMethod]
    public async Task ALiveLeaseIsNotTakenOverEvenByItsOwnProcess()
    {
        var runs = Runs();
        await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello");

        // The owner's own adoption scan must not start a second copy of a run it is running.
        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await runs.TryTakeOverAsync(_sessionId, "p1"));
    }

    [TestMethod]
    public async Task ReleasedRunCanBeTakenOverAtOnce()
    {
        var first = Runs();
        var second = Runs();
        await first.StartAsync(_sessionId, Owner, "c1", "p1", "hello");

        await first.ReleaseAsync(_sessionId, "p1");

        Assert.AreEqual(TakeOverResult.TakenOver, await second.TryTakeOverAsync(_sessionId, "p1"));
        Assert.AreEqual(Appended(1), await second.AppendAsync(_sessionId, "p1", 0, "stream.start", "", null));
    }

    [TestMethod]
    public async Task ReleaseByANonOwnerChangesNothing()
    {
        await Runs().StartAsync(_sessionId, Owner, "c1", "p1", "hello");

        await Runs().ReleaseAsync(_sessionId, "p1");

        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await Runs().TryTakeOverAsync(_sessionId, "p1"));
    }

    [TestMethod]
    public async Task FinalEventFinishesTheRunAndRecordsBothTurns()
    {
        var runs = Runs();
        await runs.StartAsync(_sessionId, Owner, "c1", "p1", "what is a lease?");
        await runs.AppendAsync(_sessionId, "p1", 0, "stream.start", "", null);
        await runs.AppendAsync(_sessionId, "p1", 1, "stream.chunk", "a lease ", null);
        await runs.AppendAsync(_sessionId, "p1", 2, "stream.chunk", "is a promise", null);

        Assert.AreEqual(Appended(4), await runs.AppendAsync(_sessionId, "p1", 3, "stream.end", "", finalAnswer: "a lease is a promise"));

        Assert.IsTrue((await runs.GetAsync(_sessionId, "p1"))!.Done);
        var turns = (await Db.ListRangeAsync(SessionKeys.Context(_sessionId)))
            .Select(t => JsonSerializer.Deserialize<Turn>(t.ToString(), JsonSerializerOptions.Web)!)
            .ToArray();
        CollectionAssert.AreEqual(
            new[] { new Turn("user", "p1", "what is a lease?"), new Turn("agent", "p1", "a lease is a promise") },
            turns);
    }

    [TestMethod]
    public async Task FinishedRunCannotBeTakenOverOrAppendedTo()
    {
        var runs = Runs();
        await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello");
        await runs.AppendAsync(_sessionId, "p1", 0, "stream.end", "", finalAnswer: "done");

        Time.Advance(JustPastTheLease);

        Assert.AreEqual(TakeOverResult.FinishedOrGone, await Runs().TryTakeOverAsync(_sessionId, "p1"));
        Assert.AreEqual(TakeOverResult.FinishedOrGone, await Runs().TryTakeOverAsync(_sessionId, "never-started"));
    }

    [TestMethod]
    public async Task NextRunSeesTheFinishedTurnsAsHistory()
    {
        var runs = Runs();
        await runs.StartAsync(_sessionId, Owner, "c1", "p1", "first");
        await runs.AppendAsync(_sessionId, "p1", 0, "stream.end", "", finalAnswer: "answer");

        await runs.StartAsync(_sessionId, Owner, "c1", "p2", "second");

        Assert.AreEqual(2, (await runs.GetAsync(_sessionId, "p2"))!.History);
    }

    [TestMethod]
    public async Task AppendAfterTheSessionExpiredReportsSessionGone()
    {
        var runs = Runs();
        await runs.StartAsync(_sessionId, Owner, "c1", "p1", "hello");
        Time.Advance(ResumeWindow + TimeSpan.FromSeconds(1));
        Assert.AreEqual(AttachStatus.Expired, (await Sessions().AttachAsync(_sessionId, Owner, 0, "c2")).Status);

        Assert.AreEqual(new AppendResult(AppendStatus.SessionGone), await runs.AppendAsync(_sessionId, "p1", 0, "stream.start", "", null));
    }

    private static readonly AppendResult LeaseLost = new(AppendStatus.LeaseLost);

    private static AppendResult Appended(long seq) => new(AppendStatus.Appended, seq);

    private sealed record Turn(string Role, string RunId, string Text);
}
