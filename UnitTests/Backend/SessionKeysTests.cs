using AspireResilience.Backend.Sessions;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class SessionKeysTests
{
    [TestMethod]
    public void AllKeysOfOneSessionShareItsHashTag()
    {
        for (var i = 0; i < 100; i++)
        {
            var id = SessionStore.NewId();
            string[] keys =
            [
                SessionKeys.Session(id), SessionKeys.Outbox(id), SessionKeys.Context(id),
                SessionKeys.Run(id, "run-1"), SessionKeys.Run(id, "a.b:c-d_9"), SessionKeys.Channel(id),
            ];

            foreach (var key in keys)
            {
                Assert.AreEqual(id, HashTag(key), key);
            }
        }
    }

    [TestMethod]
    public void RunIndexShardIsStableAndEveryShardIsUsed()
    {
        // FNV-1a of "a" is 0xE40C292C; 3826002220 % 16 = 12, the same in every process (string.GetHashCode is not).
        Assert.AreEqual(12, SessionKeys.ActiveRunShard("a"));
        var shards = Enumerable.Range(0, 1000).Select(_ => SessionKeys.ActiveRunShard(SessionStore.NewId())).ToHashSet();

        Assert.IsTrue(shards.All(s => s is >= 0 and < SessionKeys.ActiveRunShards));
        Assert.HasCount(SessionKeys.ActiveRunShards, shards, "1,000 sessions spread over all shards");
        Assert.HasCount(SessionKeys.ActiveRunShards,
            Enumerable.Range(0, SessionKeys.ActiveRunShards).Select(s => HashTag(SessionKeys.ActiveRuns(s))).ToHashSet(), "each shard its own hash tag");
    }

    [TestMethod]
    public void KeysOfDifferentSessionsDiffer()
    {
        var a = SessionStore.NewId();
        var b = SessionStore.NewId();

        Assert.AreNotEqual(a, b);
        Assert.AreNotEqual(SessionKeys.Outbox(a), SessionKeys.Outbox(b));
        Assert.AreNotEqual(SessionKeys.Run(a, "r"), SessionKeys.Run(a, "s"));
    }

    [TestMethod]
    [DataRow("s1", "r1")]
    [DataRow("AbC-_09xyz", "p.1:x-y_z")]
    [DataRow("s", "r/with/slash")]
    public void RunMemberRoundTrips(string sessionId, string runId) =>
        Assert.AreEqual((sessionId, runId), SessionKeys.ParseRunMember(SessionKeys.RunMember(sessionId, runId)));

    [TestMethod]
    [DataRow("")]
    [DataRow("/")]
    [DataRow("no-slash")]
    [DataRow("/run")]
    [DataRow("session/")]
    public void MalformedRunMemberIsRejected(string member) =>
        Assert.IsNull(SessionKeys.ParseRunMember(member));

    // Redis Cluster: the slot is computed from the text between the first '{' and the next '}'.
    private static string? HashTag(string key)
    {
        var open = key.IndexOf('{');
        if (open < 0) return null;
        var close = key.IndexOf('}', open + 1);
        return close <= open + 1 ? null : key[(open + 1)..close];
    }
}
