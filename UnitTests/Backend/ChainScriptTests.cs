using AspireResilience.Backend.Sessions;
using AspireResilience.Protocol;
using AspireResilience.UnitTests.Protocol;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// The continuity chain as the real Lua scripts compute, store and check it, against a real
/// redis-server: the same fixed vectors as the C# (<see cref="EventChainTests"/>), the chain
/// stored with every appended event, and the resume's agreement check across trims.
/// </summary>
[TestClass]
public sealed class ChainScriptTests : RedisStoreTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public async Task TheLuaDigestGivesTheFixedVectors()
    {
        // Seqs as Lua numbers and indices as strings, exactly as the append script passes them.
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(ChainLua.Functions + """
            local g = chain_genesis(ARGV[1])
            local c1 = chain_digest(g, 1, 'stream.start', 'r1', '0', '')
            local c2 = chain_digest(c1, 2, 'stream.chunk', 'r1', '1', ARGV[2])
            local c3 = chain_digest(c2, 3, 'stream.end', 'r1', '2', '')
            return {g, c1, c2, c3, chain_digest()}
            """, [], ["s1", EventChainTests.ChunkText]))!;

        CollectionAssert.AreEqual(
            new[] { EventChainTests.GenesisS1, EventChainTests.Chain1, EventChainTests.Chain2, EventChainTests.Chain3, "2jmj7l5rSw0yVb_vlWAYkA" },
            reply.Select(r => (string?)r).ToArray());
    }

    [TestMethod]
    public async Task EveryAppendedEventStoresTheChainTheClientComputes()
    {
        var id = await NewSessionAsync();
        var runs = Runs();
        await runs.StartAsync(id, Owner, "c1", "r1", "prompt");
        await runs.AppendAsync(id, "r1", 0, EventKinds.StreamStart, "", null);
        await runs.AppendAsync(id, "r1", 1, EventKinds.StreamChunk, EventChainTests.ChunkText, null);
        await runs.AppendAsync(id, "r1", 2, EventKinds.StreamEnd, "", EventChainTests.ChunkText);

        var events = await Sessions().ReadAsync(id, 1);

        var chain = EventChain.Genesis(id);
        foreach (var e in events)
        {
            chain = EventChain.Next(chain, e.Seq, e.Kind, e.RunId, e.Index, e.Text);
            Assert.AreEqual(chain, e.Chain, $"seq {e.Seq}");
        }
        Assert.HasCount(3, events);
    }

    [TestMethod]
    public async Task AResumeWithTheSameLastChainResumesAndOneWithAnotherIsDiverged()
    {
        var id = await NewSessionAsync();
        await AppendEventsAsync(Runs(), id, "r1", 5);
        var atThree = (await Sessions().ReadAsync(id, 3))[0].Chain;

        var agreed = await Sessions().AttachAsync(id, Owner, 3, "c2", atThree);
        var fromGenesis = await Sessions().AttachAsync(id, Owner, 0, "c3", EventChain.Genesis(id));
        var diverged = await Sessions().AttachAsync(id, Owner, 3, "c4", EventChain.Genesis(id));
        var v1Client = await Sessions().AttachAsync(id, Owner, 3, "c5");

        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 5, Epoch, atThree), agreed);
        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 5, Epoch, EventChain.Genesis(id)), fromGenesis);
        Assert.AreEqual(new AttachResult(AttachStatus.Diverged, 5), diverged);
        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 5, Epoch, atThree), v1Client, "no lastChain: not compared, the chain is told");
    }

    [TestMethod]
    public async Task AResumeAtTheSeqAnAckTrimmedStillComparesItsChain()
    {
        var id = await NewSessionAsync();
        await AppendEventsAsync(Runs(), id, "r1", 5);
        var atFour = (await Sessions().ReadAsync(id, 4))[0].Chain;
        await Sessions().AttachAsync(id, Owner, 0, "c2");
        Assert.AreEqual(AckResult.Trimmed, await Sessions().AckAsync(id, "c2", 4));

        var agreed = await Sessions().AttachAsync(id, Owner, 4, "c3", atFour);
        var diverged = await Sessions().AttachAsync(id, Owner, 4, "c4", "AAAAAAAAAAAAAAAAAAAAAA");

        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 5, Epoch, atFour), agreed);
        Assert.AreEqual(AttachStatus.Diverged, diverged.Status);
    }

    [TestMethod]
    public async Task AResumeAtTheNewestSeqTheCapDroppedStillComparesItsChain()
    {
        var id = await NewSessionAsync();
        var runs = Runs(outboxCap: 3);
        await AppendEventsAsync(runs, id, "r1", 3);
        var atTwo = (await Sessions().ReadAsync(id, 2))[0].Chain;
        await runs.AppendAsync(id, "r1", 3, EventKinds.StreamChunk, "chunk 3", null);
        await runs.AppendAsync(id, "r1", 4, EventKinds.StreamChunk, "chunk 4", null);

        var agreed = await Sessions().AttachAsync(id, Owner, 2, "c2", atTwo);
        var older = await Sessions().AttachAsync(id, Owner, 1, "c3");

        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 5, Epoch, atTwo), agreed);
        Assert.AreEqual(AttachStatus.Gap, older.Status, "seq 2 was dropped: a resume that needs it is a gap, as before");
    }

    [TestMethod]
    public async Task AnOutboxEntryThatDoesNotContinueTheChainIsDivergedEvenForAV1Client()
    {
        var id = await NewSessionAsync();
        await AppendEventsAsync(Runs(), id, "r1", 2);
        // A writer that bypassed the append script: seq 3 with text its chain does not cover.
        var atTwo = (await Sessions().ReadAsync(id, 2))[0].Chain!;
        await Db.HashIncrementAsync(SessionKeys.Session(id), "top");
        await Db.StreamAddAsync(SessionKeys.Outbox(id), [new("k", "stream.chunk"), new("r", "r1"), new("i", 2), new("t", "tampered"),
            new("c", EventChain.Next(atTwo, 3, "stream.chunk", "r1", 2, "original"))], "3-0");

        var atTwoResume = await Sessions().AttachAsync(id, Owner, 2, "c2");
        var atThreeResume = await Sessions().AttachAsync(id, Owner, 3, "c3");

        Assert.AreEqual(AttachStatus.Diverged, atTwoResume.Status, "the replay would start with the broken entry");
        Assert.AreEqual(AttachStatus.Resumed, atThreeResume.Status, "past it, nothing left to replay is checked");
    }
}
