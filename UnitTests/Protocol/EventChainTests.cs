using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Protocol;

/// <summary>
/// The chain's fixed vectors (docs/protocol.md, <i>Chain</i>). They were computed with an
/// implementation of the documented layout outside this repository (Python's hashlib), so the C#
/// and the Lua (ChainScriptTests) are each checked against the text, not against each other.
/// </summary>
[TestClass]
public sealed class EventChainTests
{
    /// <summary>The vectors: session "s1", a run "r1" of start, one chunk of non-ASCII text, end.</summary>
    public const string GenesisS1 = "Zva64l0X0ILF5Dgy9B1RtQ";
    public const string Chain1 = "wQ_d1149XSy9hpVOZCXznQ";
    public const string Chain2 = "ui9sXsPQREFgOv8RCP9MKg";
    public const string Chain3 = "JzVTGWpLkKbnrXoKDAzJwA";
    public const string ChunkText = "Grüße, 世界 🌍 \"quoted\"\n";

    [TestMethod]
    public void GenesisIsTheDigestOfTheLabelAndTheSessionId() =>
        Assert.AreEqual(GenesisS1, EventChain.Genesis("s1"));

    [TestMethod]
    public void EachEventChainsOnThePreviousOneAsTheVectorsSay()
    {
        var c1 = EventChain.Next(GenesisS1, 1, EventKinds.StreamStart, "r1", 0, "");
        var c2 = EventChain.Next(c1, 2, EventKinds.StreamChunk, "r1", 1, ChunkText);
        var c3 = EventChain.Next(c2, new EventMessage(3, EventKinds.StreamEnd, 2, "", "r1"));

        CollectionAssert.AreEqual(new[] { Chain1, Chain2, Chain3 }, new[] { c1, c2, c3 });
    }

    [TestMethod]
    public void AValueIs22Base64UrlCharacters()
    {
        var value = EventChain.Digest();

        Assert.AreEqual("2jmj7l5rSw0yVb_vlWAYkA", value, "SHA-1 of nothing, first 16 bytes");
        Assert.HasCount(EventChain.Length, value);
    }

    [TestMethod]
    public void LengthPrefixesKeepFieldBoundariesApart()
    {
        // Without the prefixes "ab"+"c" and "a"+"bc" would hash alike.
        Assert.AreNotEqual(EventChain.Digest("ab", "c"), EventChain.Digest("a", "bc"));
        Assert.AreNotEqual(EventChain.Next(GenesisS1, 1, "k", null, 0, ""), EventChain.Next(GenesisS1, 1, "k", "", 1, ""));
    }

    [TestMethod]
    public void AnyChangedFieldChangesTheChain()
    {
        var original = EventChain.Next(Chain1, 2, EventKinds.StreamChunk, "r1", 1, ChunkText);

        Assert.AreNotEqual(original, EventChain.Next(Chain1, 2, EventKinds.StreamChunk, "r1", 1, ChunkText + " "));
        Assert.AreNotEqual(original, EventChain.Next(Chain1, 3, EventKinds.StreamChunk, "r1", 1, ChunkText));
        Assert.AreNotEqual(original, EventChain.Next(Chain1, 2, EventKinds.StreamChunk, "r2", 1, ChunkText));
        Assert.AreNotEqual(original, EventChain.Next(Chain1, 2, EventKinds.StreamChunk, "r1", 2, ChunkText));
        Assert.AreNotEqual(original, EventChain.Next(GenesisS1, 2, EventKinds.StreamChunk, "r1", 1, ChunkText));
        Assert.AreNotEqual(GenesisS1, EventChain.Genesis("s2"), "another session's chain never validates this one's events");
    }

    [TestMethod]
    public void ASnapshotDigestFoldsItsTurnsInOrder()
    {
        SnapshotTurn[] turns = [new(SnapshotTurn.User, "r1", "hi"), new(SnapshotTurn.Agent, "r1", "hello there")];

        Assert.AreEqual("CL5SneBvxP-XneTtW0aNHw", EventChain.OfSnapshot("s1", turns, truncated: false));
        Assert.AreNotEqual(EventChain.OfSnapshot("s1", turns, truncated: false), EventChain.OfSnapshot("s1", turns, truncated: true));
        Assert.AreNotEqual(EventChain.OfSnapshot("s1", turns, truncated: false), EventChain.OfSnapshot("s1", [.. turns.Reverse()], truncated: false));
    }
}
