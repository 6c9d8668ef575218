using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Sessions;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// A Redis restart (with AOF) keeps the data but empties the script cache: every store call
/// must still answer correctly, and no NOSCRIPT may reach a caller.
/// </summary>
[TestClass]
public sealed class RedisRestartTests : RedisStoreTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync(appendOnly: true);

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    private async Task<(SessionStore Sessions, RunStore Runs, string Id)> SessionWithTwoEventsAsync()
    {
        var sessions = Sessions();
        var runs = Runs();
        var id = await sessions.CreateAsync(Owner, Epoch, "c1");
        await AppendEventsAsync(runs, id, "r1", 2);
        return (sessions, runs, id);
    }

    [TestMethod]
    public async Task StoresKeepAnsweringAfterRedisRestartsWithAnEmptyScriptCache()
    {
        var (sessions, runs, id) = await SessionWithTwoEventsAsync();
        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 2, Epoch), (await sessions.AttachAsync(id, Owner, 0, "c2")) with { Chain = null });
        Assert.IsTrue(await Server.ScriptExistsAsync(SessionScripts.Attach), "the script was cached before the restart");

        await RestartRedisAsync();

        Assert.IsFalse(await Server.ScriptExistsAsync(SessionScripts.Attach), "the restart emptied the script cache");
        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 2, Epoch), (await sessions.AttachAsync(id, Owner, 2, "c3")) with { Chain = null }, "the data came back from the AOF");
        Assert.AreEqual(new AppendResult(AppendStatus.Appended, 3), await runs.AppendAsync(id, "r1", 2, "stream.chunk", "after", null));
        Assert.HasCount(3, await sessions.ReadAsync(id, 1));
        Assert.AreEqual(AckResult.Trimmed, await sessions.AckAsync(id, "c3", 3));
        Assert.AreEqual(AckResult.Ahead, await sessions.AckAsync(id, "c3", 4));
        Assert.IsTrue(await sessions.TouchAsync(id, "c3"));
        Assert.AreEqual(StartRunResult.Started, await runs.StartAsync(id, Owner, "c3", "r2", "again"));
        Assert.AreEqual(StartRunResult.Duplicate, await runs.StartAsync(id, Owner, "c3", "r2", "again"));
        await sessions.DetachAsync(id, "c3");
        Assert.AreEqual(TakeOverResult.LeasedElsewhere, await Runs().TryTakeOverAsync(id, "r2"));
        await runs.ReleaseAsync(id, "r2");
        Assert.AreEqual(TakeOverResult.TakenOver, await Runs().TryTakeOverAsync(id, "r2"));
        Assert.AreNotEqual(id, await sessions.CreateAsync(Owner, Epoch, "c4"));
    }

    [TestMethod]
    public async Task ScriptCacheEmptiedBehindTheClientsBackIsRefilledWithoutAnError()
    {
        var (sessions, runs, id) = await SessionWithTwoEventsAsync();
        // Another client flushes: this connection still believes the server knows its scripts.
        await using (var other = await ConnectionMultiplexer.ConnectAsync(Connection.Configuration))
        {
            await other.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        }
        await Server.ExecuteAsync("CONFIG", "RESETSTAT");

        Assert.AreEqual(new AppendResult(AppendStatus.Appended, 3), await runs.AppendAsync(id, "r1", 2, "stream.chunk", "after", null));
        Assert.AreEqual(new AttachResult(AttachStatus.Resumed, 3, Epoch), (await sessions.AttachAsync(id, Owner, 3, "c2")) with { Chain = null });

        var errors = (await Server.InfoAsync("errorstats")).SelectMany(g => g).ToDictionary(e => e.Key, e => e.Value);
        Assert.IsTrue(errors.ContainsKey("errorstat_NOSCRIPT"), "the server did refuse the cached hash once; the client re-sent the script");
    }
}
