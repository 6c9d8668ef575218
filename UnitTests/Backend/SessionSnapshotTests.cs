using AspireResilience.Backend.Sessions;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Backend;

/// <summary>The v1.1 snapshot: the context as the run store writes it, the newest turns within the size bound, a chain the client can check.</summary>
[TestClass]
public sealed class SessionSnapshotTests
{
    private static readonly SnapshotTurn[] Turns =
    [
        new(SnapshotTurn.User, "p1", "first question"),
        new(SnapshotTurn.Agent, "p1", new string('a', 1000)),
        new(SnapshotTurn.User, "p2", "second question"),
        new(SnapshotTurn.Agent, "p2", "short answer"),
    ];

    [TestMethod]
    public void AContextEntryReadsAsATurnAndAnythingElseIsSkipped()
    {
        Assert.AreEqual(new SnapshotTurn("user", "p1", "hi"), SessionSnapshot.ParseTurn("""{"Role":"user","RunId":"p1","Text":"hi"}"""));
        Assert.IsNull(SessionSnapshot.ParseTurn("not json"));
        Assert.IsNull(SessionSnapshot.ParseTurn("""{"Role":"user"}"""));
    }

    [TestMethod]
    public void WithinTheBoundEveryTurnIsKeptAndTheChainCoversThem()
    {
        var snapshot = SessionSnapshot.Build("s1", Turns, 64 * 1024);

        CollectionAssert.AreEqual(Turns, snapshot.Turns.ToArray());
        Assert.IsFalse(snapshot.Truncated);
        Assert.AreEqual(EventChain.OfSnapshot("s1", Turns, truncated: false), snapshot.Chain);
    }

    [TestMethod]
    public void PastTheBoundTheOldestTurnsGoAndTheFrameFits()
    {
        const int bound = 600;

        var snapshot = SessionSnapshot.Build("s1", Turns, bound);

        CollectionAssert.AreEqual(Turns[2..], snapshot.Turns.ToArray(), "the 1,000-character answer does not fit, nor anything before it");
        Assert.IsTrue(snapshot.Truncated);
        Assert.IsLessThanOrEqualTo(bound, ProtocolJson.Serialize(snapshot).Length);
        Assert.AreEqual(EventChain.OfSnapshot("s1", Turns[2..], truncated: true), snapshot.Chain);
    }

    [TestMethod]
    public void NothingKeptIsAnEmptySnapshotNotAMissingOne()
    {
        var snapshot = SessionSnapshot.Build("s1", [], 600);

        Assert.IsEmpty(snapshot.Turns);
        Assert.IsFalse(snapshot.Truncated);
    }
}
