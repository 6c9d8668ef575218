using AspireResilience.Backend.Gateway;
using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.Backend;

/// <summary>The reconnect limits against a real redis-server: what counts, what is refused, for how long.</summary>
[TestClass]
public sealed class ReconnectLimiterTests : RedisStoreTestBase
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    private static ReconnectLimiter Limiter(int perSession = 3, int perUser = 100) =>
        new(Connection, Options.Create(new GatewayOptions { ReconnectsPerSession = perSession, ReconnectsPerUser = perUser, ReconnectWindow = Window }));

    [TestMethod]
    public async Task ResumesUpToTheLimitPassAndTheNextIsToldWhatIsLeftOfTheWindow()
    {
        var limiter = Limiter(perSession: 3);
        var id = await NewSessionAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.IsNull(await limiter.CountAsync(Owner, id), $"resume {i + 1}");
        }

        var retryAfter = await limiter.CountAsync(Owner, id);

        Assert.IsNotNull(retryAfter);
        Assert.IsTrue(retryAfter > TimeSpan.Zero && retryAfter <= Window, $"{retryAfter}");
    }

    [TestMethod]
    public async Task AnotherUsersHellosDoNotCountAgainstTheOwnersSession()
    {
        var limiter = Limiter(perSession: 2);
        var id = await NewSessionAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.IsNull(await limiter.CountAsync("mallory", id), "the attach refuses her (4003); the limit does not");
        }

        Assert.IsNull(await limiter.CountAsync(Owner, id), "the owner's first resume");
    }

    [TestMethod]
    public async Task TheUserLimitCountsNewSessionsAndResumesAlike()
    {
        var limiter = Limiter(perSession: 100, perUser: 3);
        var id = await NewSessionAsync();
        Assert.IsNull(await limiter.CountAsync(Owner, sessionId: null));
        Assert.IsNull(await limiter.CountAsync(Owner, id));
        Assert.IsNull(await limiter.CountAsync(Owner, sessionId: null));

        Assert.IsNotNull(await limiter.CountAsync(Owner, id));
        Assert.IsNull(await limiter.CountAsync("bob", sessionId: null), "other users have their own count");
    }

    [TestMethod]
    public async Task ALimitOfZeroIsOff()
    {
        var limiter = Limiter(perSession: 0, perUser: 0);
        var id = await NewSessionAsync();
        for (var i = 0; i < 50; i++)
        {
            Assert.IsNull(await limiter.CountAsync(Owner, id));
        }
        Assert.AreEqual(0, (await Server.KeysAsync(pattern: "*hellos*").ToListAsync()).Count, "nothing is counted");
    }

    [TestMethod]
    public async Task TheCountersExpireWithTheirWindow()
    {
        var limiter = Limiter();
        var id = await NewSessionAsync();
        await limiter.CountAsync(Owner, id);

        foreach (var key in await Server.KeysAsync(pattern: "*hellos*").ToListAsync())
        {
            var ttl = await Db.KeyTimeToLiveAsync(key);
            Assert.IsTrue(ttl > TimeSpan.Zero && ttl <= Window, $"{key}: {ttl}");
        }
    }
}
