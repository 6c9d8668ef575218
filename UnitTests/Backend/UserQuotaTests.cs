using AspireResilience.Backend.Gateway;
using AspireResilience.Backend.Sessions;
using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.Backend;

/// <summary>The per-user caps against a real redis-server: who is refused, who is evicted, what frees a place.</summary>
[TestClass]
public sealed class UserQuotaTests : RedisStoreTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    private UserQuota Quota(int maxSessions = 3, int maxConnections = 2) =>
        new(Connection, Options.Create(new GatewayOptions { MaxSessionsPerUser = maxSessions, MaxConnectionsPerUser = maxConnections }),
            SessionOptions(), Sessions(), Time);

    [TestMethod]
    public async Task ASocketBeyondTheUsersLiveCapIsRefusedUntilOneIsReleased()
    {
        var quota = Quota(maxConnections: 2);
        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s1", isNew: true));
        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s2", isNew: true));

        Assert.IsNull(await quota.AdmitAsync(Owner, "s3", isNew: true), "a third live socket");
        Assert.IsNotNull(await quota.AdmitAsync("bob", "b1", isNew: true), "other users have their own cap");
        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s2", isNew: false), "a resume of a live session replaces its socket");

        await quota.ReleaseAsync(Owner, "s1");
        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s3", isNew: true), "the released place is free again");
    }

    [TestMethod]
    public async Task ALiveEntryNotRenewedForThreeUpkeepRoundsNoLongerCounts()
    {
        var quota = Quota(maxConnections: 1);
        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s1", isNew: true));
        Time.Advance(quota.StaleAfter - TimeSpan.FromSeconds(1));
        Assert.IsNull(await quota.AdmitAsync(Owner, "s2", isNew: true), "still within its renewal period");

        await quota.RenewAsync(Owner, "s1");
        Time.Advance(quota.StaleAfter - TimeSpan.FromSeconds(1));
        Assert.IsNull(await quota.AdmitAsync(Owner, "s2", isNew: true), "the renewal restarted its period");

        // The process that held it died without detaching: its place frees itself.
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s2", isNew: true));
    }

    [TestMethod]
    public async Task ANewSessionBeyondTheCapEvictsTheLeastRecentlyUsedSessionWithoutASocket()
    {
        var quota = Quota(maxSessions: 3, maxConnections: 3);
        var store = Sessions();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = await store.CreateAsync(Owner, Epoch, $"c{i}");
            Assert.IsNotNull(await quota.AdmitAsync(Owner, id, isNew: true));
            ids.Add(id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        // The oldest is still attached; the second was left first.
        Assert.IsTrue(await store.DetachAsync(ids[1], "c1"));
        await quota.ReleaseAsync(Owner, ids[1]);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsTrue(await store.DetachAsync(ids[2], "c2"));
        await quota.ReleaseAsync(Owner, ids[2]);

        var evicted = await quota.AdmitAsync(Owner, "new", isNew: true);

        CollectionAssert.AreEqual(new[] { ids[1] }, evicted!.ToArray(), "the least recently used without a socket");
        Assert.AreEqual(AttachStatus.Evicted, (await store.AttachAsync(ids[1], Owner, 0, "c9")).Status);
        Assert.IsFalse(await Db.KeyExistsAsync(SessionKeys.Outbox(ids[1])), "its data is gone");
        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(ids[2], Owner, 0, "c9")).Status, "the other detached one stays");
        Assert.AreEqual(AttachStatus.Resumed, (await store.AttachAsync(ids[0], Owner, 0, "c0")).Status, "the attached one stays");
    }

    [TestMethod]
    public async Task ASessionPastTheResumeWindowNoLongerCountsAndTheSetsExpireWithIt()
    {
        var quota = Quota(maxSessions: 1, maxConnections: 5);
        Assert.AreEqual(0, (await quota.AdmitAsync(Owner, "s1", isNew: true))!.Count);
        await quota.ReleaseAsync(Owner, "s1");
        Time.Advance(ResumeWindow + TimeSpan.FromSeconds(1));

        Assert.AreEqual(0, (await quota.AdmitAsync(Owner, "s2", isNew: true))!.Count, "s1 expired by itself: nothing to evict");
        Assert.IsLessThanOrEqualTo(ResumeWindow.TotalMilliseconds, (double)(await Db.KeyTimeToLiveAsync(SessionKeys.UserSessions(Owner)))!.Value.TotalMilliseconds);
        Assert.IsLessThanOrEqualTo(quota.StaleAfter.TotalMilliseconds, (double)(await Db.KeyTimeToLiveAsync(SessionKeys.UserLive(Owner)))!.Value.TotalMilliseconds);
    }

    [TestMethod]
    public async Task ForgettingASessionFreesBothItsPlaces()
    {
        var quota = Quota(maxSessions: 5, maxConnections: 1);
        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s1", isNew: false));
        await quota.ForgetAsync(Owner, "s1");

        Assert.IsNotNull(await quota.AdmitAsync(Owner, "s2", isNew: true));
        Assert.IsNull(await Db.SortedSetScoreAsync(SessionKeys.UserSessions(Owner), "s1"));
    }

    [TestMethod]
    public async Task ZeroTurnsBothCapsOff()
    {
        var quota = Quota(maxSessions: 0, maxConnections: 0);
        for (var i = 0; i < 30; i++)
        {
            Assert.AreEqual(0, (await quota.AdmitAsync(Owner, $"s{i}", isNew: true))!.Count);
        }
    }
}
