using System.Net.WebSockets;
using AspireResilience.E2ETests.Suite07_Heartbeat;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Probes;

namespace AspireResilience.E2ETests.Suite06_Flapping;

/// <summary>
/// One user cannot exhaust the service with sockets or sessions (docs/protocol.md, Limits). On
/// <see cref="HeartbeatEnvironment"/>, whose caps are small enough to reach
/// (<see cref="HeartbeatEnvironment.MaxConnectionsPerUser"/> live sockets, <see cref="HeartbeatEnvironment.MaxSessionsPerUser"/> sessions).
/// </summary>
[TestClass]
[TestCategory("Suite06")]
public sealed class UserCapTests : E2ETest<HeartbeatEnvironment>
{
    [TestMethod]
    public async Task ASocketBeyondTheUsersCapIsClosed4009AndALeavingSocketMakesRoom()
    {
        var (user, token) = await RawClient.UserTokenAsync(Env);
        var open = new List<(RawClient Client, WelcomeMessage Welcome)>();
        for (var i = 0; i < HeartbeatEnvironment.MaxConnectionsPerUser; i++)
        {
            var client = await RawClient.ConnectAsync(Env.BackendWebSocket);
            open.Add((client, await client.HelloAsync(token)));
        }

        await using (var refused = await RawClient.ConnectAsync(Env.BackendWebSocket))
        {
            var answer = await refused.SendHelloAsync(new HelloMessage(token));
            Assert.AreEqual((WebSocketCloseStatus)CloseCodes.TooManyConnections, answer.CloseStatus, "one socket more than the cap");
            Assert.AreEqual("too many connections for this user", answer.CloseDescription);
        }

        // A resume of a live session takes its socket's place rather than a new one.
        var (first, welcome) = open[0];
        var (replacement, resumed) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, welcome.SessionId, 0, welcome.Epoch);
        Assert.IsInstanceOfType<WelcomeMessage>(resumed.Message, "a resume of a live session is not over the cap");
        Assert.AreEqual((WebSocketCloseStatus)CloseCodes.Superseded, (await first.ReceiveCloseAsync()).Close.CloseStatus);
        await first.DisposeAsync();

        // A socket that leaves frees its place once its session is detached.
        await replacement.DisposeAsync();
        await using var redis = await RedisProbe.ConnectAsync(Env, Timeouts.Token());
        await Poll.UntilAsync(async () => await redis.Db.SortedSetLengthAsync($"user:{{{user}}}:live") < HeartbeatEnvironment.MaxConnectionsPerUser,
            "the closed socket's place is freed");
        await using var next = await RawClient.ConnectAsync(Env.BackendWebSocket);
        Assert.IsFalse((await next.HelloAsync(token)).Resumed, "a new session fits again");

        foreach (var (client, _) in open.Skip(1)) await client.DisposeAsync();
    }

    [TestMethod]
    public async Task ANewSessionBeyondTheUsersCapEvictsTheLeastRecentlyUsedDetachedOne()
    {
        var (user, token) = await RawClient.UserTokenAsync(Env);
        await using var redis = await RedisProbe.ConnectAsync(Env, Timeouts.Token());
        var left = new List<WelcomeMessage>();
        for (var i = 0; i <= HeartbeatEnvironment.MaxSessionsPerUser; i++)
        {
            // Only a session without a socket can be evicted: each has detached before the next comes.
            left.Add(await RawClient.PromptAndLeaveAsync(Env.BackendWebSocket, token, new PromptMessage($"p{i}", $"session {i}")));
            await WaitUntilDetachedAsync(redis, user);
        }
        Assert.AreEqual(HeartbeatEnvironment.MaxSessionsPerUser, await redis.Db.SortedSetLengthAsync($"user:{{{user}}}:sessions"),
            "one session more than the cap made room by eviction");

        var (evicted, answer) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, left[0].SessionId, 0, left[0].Epoch);
        await using (evicted)
        {
            var welcome = (WelcomeMessage)answer.Message!;
            Assert.AreEqual((false, ResumeFailureReasons.Evicted), (welcome.Resumed, welcome.Reason), "the least recently used session was evicted");
        }
        Assert.IsFalse(await redis.Db.KeyExistsAsync($"session:{{{left[0].SessionId}}}:outbox"), "its events are deleted");
        await WaitUntilDetachedAsync(redis, user);

        // The fresh session that answered evicted the next oldest in turn; the newest ones resume.
        foreach (var kept in left.Skip(2))
        {
            var (client, resumed) = await RawHello.ResumeAsync(Env.BackendWebSocket, token, kept.SessionId, 0, kept.Epoch);
            await using (client)
            {
                Assert.IsTrue(((WelcomeMessage)resumed.Message!).Resumed, $"session {kept.SessionId} was kept");
            }
            await WaitUntilDetachedAsync(redis, user);
        }
    }

    private static Task WaitUntilDetachedAsync(RedisProbe redis, string user) =>
        Poll.UntilAsync(async () => await redis.Db.SortedSetLengthAsync($"user:{{{user}}}:live") == 0, "the user's sockets are detached");
}
