using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Sessions;
using AspireResilience.UnitTests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// Builds <see cref="SessionStore"/> and <see cref="RunStore"/> over a real redis-server with a
/// fake clock. Each derived class starts its own server; every test starts from an empty database.
/// </summary>
public abstract class RedisStoreTestBase
{
    protected const string Owner = "alice";
    protected const string Epoch = "epoch-1";
    protected static readonly TimeSpan ResumeWindow = TimeSpan.FromMinutes(10);
    protected static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    private static RedisServerProcess? s_redis;
    private static ConnectionMultiplexer? s_connection;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    protected static ConnectionMultiplexer Connection => s_connection ?? throw new InvalidOperationException("Redis is not started.");

    protected static IDatabase Db => Connection.GetDatabase();

    /// <summary>The server's address, as a connection string names it.</summary>
    protected static string Endpoint => $"127.0.0.1:{(s_redis ?? throw new InvalidOperationException("Redis is not started.")).Port}";

    protected static async Task StartRedisAsync(bool appendOnly = false)
    {
        s_redis = await RedisServerProcess.StartAsync(appendOnly);
        // Our own connection: allowAdmin for FLUSHDB / FLUSHALL.
        s_connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{s_redis.Port},allowAdmin=true");
    }

    /// <summary>Crashes and restarts the server (see <see cref="RedisServerProcess.RestartAsync"/>) and waits until <see cref="Connection"/> is back.</summary>
    protected static async Task RestartRedisAsync()
    {
        var redis = s_redis ?? throw new InvalidOperationException("Redis is not started.");
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRestored(object? sender, ConnectionFailedEventArgs e)
        {
            if (e.ConnectionType == ConnectionType.Interactive) restored.TrySetResult();
        }
        Connection.ConnectionRestored += OnRestored;
        try
        {
            await redis.RestartAsync();
            await restored.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Connection.ConnectionRestored -= OnRestored;
        }
    }

    protected static async Task StopRedisAsync()
    {
        if (s_connection is not null) await s_connection.DisposeAsync();
        if (s_redis is not null) await s_redis.DisposeAsync();
    }

    [TestInitialize]
    public Task FlushDatabaseAsync() => Server.FlushDatabaseAsync();

    protected static IServer Server => Connection.GetServer(Connection.GetEndPoints()[0]);

    protected Task<string> NewSessionAsync() => Sessions().CreateAsync(Owner, Epoch, "c1");

    /// <param name="redis">The connection the store uses; by default <see cref="Connection"/>.</param>
    protected SessionStore Sessions(int outboxCap = 100, IConnectionMultiplexer? redis = null) =>
        new(redis ?? Connection, SessionOptions(outboxCap), Time);

    protected RunStore Runs(BackendInstance? instance = null, int outboxCap = 100, IConnectionMultiplexer? redis = null) =>
        new(redis ?? Connection, instance ?? new BackendInstance(),
            Options.Create(new AgentOptions { LeaseDuration = LeaseDuration }), SessionOptions(outboxCap), Time);

    protected static async Task<long[]> AppendEventsAsync(RunStore runs, string sessionId, string runId, int count)
    {
        Assert.AreEqual(StartRunResult.Started, await runs.StartAsync(sessionId, Owner, "c1", runId, "prompt"));
        var seqs = new long[count];
        for (var i = 0; i < count; i++)
        {
            var append = await runs.AppendAsync(sessionId, runId, i, i == 0 ? "stream.start" : "stream.chunk", $"chunk {i}", finalAnswer: null);
            Assert.AreEqual(AppendStatus.Appended, append.Status);
            seqs[i] = append.Seq;
        }
        return seqs;
    }

    protected static IOptions<SessionStoreOptions> SessionOptions(int outboxCap = 100) =>
        Options.Create(new SessionStoreOptions { ResumeWindow = ResumeWindow, OutboxCap = outboxCap });
}
