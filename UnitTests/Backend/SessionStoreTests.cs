using AspireResilience.Backend.Sessions;

namespace AspireResilience.UnitTests.Backend;

/// <summary>Resume decisions, the outbox and acks, against a real redis-server (DESIGN.md §5).</summary>
[TestClass]
public sealed class SessionStoreTests : RedisStoreTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public async Task NewSessionResumesAtTopZeroWithItsEpoch()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");

        var attach = await store.AttachAsync(id, Owner, lastSeq: 0, "c2");

        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 0, Epoch, AspireResilience.Protocol.EventChain.Genesis(id)), attach);
    }

    [TestMethod]
    public async Task CreatedSessionsGetDistinctIds()
    {
        var store = Sessions();

        var a = await store.CreateAsync(Owner, Epoch, "c1");
        var b = await store.CreateAsync(Owner, Epoch, "c1");

        Assert.AreNotEqual(a, b);
    }

    [TestMethod]
    public async Task AttachByAnotherOwnerIsForbidden()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");

        var attach = await store.AttachAsync(id, "mallory", 0, "c2");

        Assert.AreEqual(AttachStatus.Forbidden, attach.Status);
    }

    [TestMethod]
    public async Task AttachWithLastSeqBeyondTopIsAhead()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(), id, "r1", 2);

        var attach = await store.AttachAsync(id, Owner, lastSeq: 3, "c2");

        Assert.AreEqual(AttachStatus.Ahead, attach.Status);
        Assert.AreEqual(2, attach.Top);
    }

    [TestMethod]
    public async Task RunEventsGetGapFreeSeqsFromOneAndReadBackInOrder()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");

        var seqs = await AppendEventsAsync(Runs(), id, "r1", 5);
        var fromThree = await store.ReadAsync(id, 3);

        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4, 5 }, seqs);
        CollectionAssert.AreEqual(
            new[]
            {
                new OutboxEvent(3, "stream.chunk", "r1", 2, "chunk 2"),
                new OutboxEvent(4, "stream.chunk", "r1", 3, "chunk 3"),
                new OutboxEvent(5, "stream.chunk", "r1", 4, "chunk 4"),
            },
            fromThree.Select(e => e with { Chain = null }).ToArray(), "the chain is checked in ChainScriptTests");
    }

    [TestMethod]
    public async Task AckTrimsTheOutboxAndTurnsOlderResumesIntoGaps()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(), id, "r1", 5);

        Assert.AreEqual(AckResult.Trimmed, await store.AckAsync(id, "c1", 3));

        Assert.AreEqual(4, (await store.ReadAsync(id, 1))[0].Seq);
        Assert.AreEqual(new AttachResult(AttachStatus.Gap, 5), await store.AttachAsync(id, Owner, lastSeq: 2, "c2"));
        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 5, Epoch), (await store.AttachAsync(id, Owner, lastSeq: 3, "c3")) with { Chain = null });
    }

    [TestMethod]
    public async Task AckOfEverythingLeavesAResumableSession()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(), id, "r1", 5);

        Assert.AreEqual(AckResult.Trimmed, await store.AckAsync(id, "c1", 5));

        Assert.HasCount(0, await store.ReadAsync(id, 1));
        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(id, Owner, lastSeq: 5, "c2")).Status);
        Assert.AreEqual(AttachStatus.Gap, (await store.AttachAsync(id, Owner, lastSeq: 4, "c3")).Status);
    }

    [TestMethod]
    public async Task AckBeyondTopIsRefusedAndTrimsNothing()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(), id, "r1", 5);

        Assert.AreEqual(AckResult.Ahead, await store.AckAsync(id, "c1", 6));

        Assert.HasCount(5, await store.ReadAsync(id, 1));
    }

    [TestMethod]
    public async Task AckOnAnUnknownSessionChangesNothing() =>
        Assert.AreEqual(AckResult.Superseded, await Sessions().AckAsync("no-such-session", "c1", 0));

    [TestMethod]
    public async Task LateAckFromASupersededConnectionTrimsNothing()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(), id, "r1", 5);
        await store.AttachAsync(id, Owner, lastSeq: 2, "c2");

        Assert.AreEqual(AckResult.Superseded, await store.AckAsync(id, "c1", 5));

        Assert.HasCount(5, await store.ReadAsync(id, 1));
        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(id, Owner, lastSeq: 2, "c3")).Status);
    }

    [TestMethod]
    public async Task OutboxCapDropsTheOldestEventsAndAResumeThatNeedsThemIsAGap()
    {
        var store = Sessions(outboxCap: 3);
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(outboxCap: 3), id, "r1", 5);

        CollectionAssert.AreEqual(new long[] { 3, 4, 5 }, (await store.ReadAsync(id, 1)).Select(e => e.Seq).ToArray());
        Assert.AreEqual(new AttachResult(AttachStatus.Gap, 5), await store.AttachAsync(id, Owner, lastSeq: 0, "c2"));
        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(id, Owner, lastSeq: 2, "c3")).Status);
    }

    [TestMethod]
    public async Task SessionJustInsideItsResumeWindowResumes()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");

        Time.Advance(ResumeWindow - TimeSpan.FromSeconds(1));

        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(id, Owner, 0, "c2")).Status);
    }

    [TestMethod]
    public async Task AttachSlidesTheResumeWindow()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");

        Time.Advance(ResumeWindow * 0.75);
        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(id, Owner, 0, "c2")).Status);
        Time.Advance(ResumeWindow * 0.75);

        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(id, Owner, 0, "c3")).Status);
    }

    [TestMethod]
    public async Task TouchByTheAttachedConnectionKeepsAnIdleSessionAndItsDataAlive()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(), id, "r1", 3);

        for (var i = 0; i < 3; i++)
        {
            Time.Advance(ResumeWindow * 0.6);
            Assert.IsTrue(await store.TouchAsync(id, "c1"));
        }
        Assert.IsFalse(await store.TouchAsync(id, "someone-else"), "only the attached connection keeps it alive");
        var attach = await store.AttachAsync(id, Owner, 0, "c2");

        Assert.AreEqual(AttachStatus.Resumed, attach.Status, "1.8 windows after creation, but touched within the window");
        Assert.HasCount(3, await store.ReadAsync(id, 1));
    }

    [TestMethod]
    public async Task SessionPastItsResumeWindowIsExpiredForGoodAndItsDataIsGone()
    {
        var store = Sessions();
        var id = await store.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(Runs(), id, "r1", 3);
        Assert.IsTrue(await Db.KeyExistsAsync(SessionKeys.Outbox(id)));
        Assert.IsTrue(await Db.KeyExistsAsync(SessionKeys.Context(id)));

        Time.Advance(ResumeWindow + TimeSpan.FromSeconds(1));
        var first = await store.AttachAsync(id, Owner, 0, "c2");
        var second = await store.AttachAsync(id, Owner, 3, "c3");

        Assert.AreEqual(AttachStatus.Expired, first.Status);
        Assert.AreEqual(AttachStatus.Expired, second.Status, "the tombstone keeps saying expired");
        Assert.IsFalse(await Db.KeyExistsAsync(SessionKeys.Outbox(id)));
        Assert.IsFalse(await Db.KeyExistsAsync(SessionKeys.Context(id)));
        Assert.HasCount(0, await store.ReadAsync(id, 1));
    }

    [TestMethod]
    public async Task UnknownSessionIdIsUnknown() =>
        Assert.AreEqual(AttachStatus.Unknown, (await Sessions().AttachAsync("never-created", Owner, 0, "c1")).Status);

    [TestMethod]
    public async Task EpochIsStableUntilTheStoreLosesItsData()
    {
        var store = Sessions();
        var epoch = await store.GetEpochAsync();
        var id = await store.CreateAsync(Owner, epoch, "c1");

        Assert.AreEqual(epoch, await store.GetEpochAsync());
        Assert.AreEqual(epoch, await Sessions().GetEpochAsync(), "another backend sees the same epoch");

        await Server.FlushAllDatabasesAsync();
        var minted = await store.GetEpochAsync();

        Assert.IsFalse(string.IsNullOrEmpty(minted));
        Assert.AreNotEqual(epoch, minted);
        Assert.AreEqual(minted, await store.GetEpochAsync());
        Assert.AreEqual(AttachStatus.Unknown, (await store.AttachAsync(id, Owner, 0, "c2")).Status);
    }

    [TestMethod]
    public async Task ConcurrentFirstCallsAgreeOnOneEpoch()
    {
        var epochs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Sessions().GetEpochAsync()));

        Assert.HasCount(1, epochs.Distinct());
    }
}
