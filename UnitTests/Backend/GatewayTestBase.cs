using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Gateway;
using AspireResilience.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// Runs real <see cref="GatewayConnection"/>s over in-memory socket pairs, against a real
/// redis-server, real token validation and a fake clock.
/// </summary>
public abstract class GatewayTestBase : RedisStoreTestBase
{
    private readonly TestTokens _tokens = new();
    private readonly List<(GatewayConnection Connection, InMemoryWebSocketPair Sockets, Task Run)> _open = [];
    // What Kestrel does when the peer vanishes: it aborts the request.
    private readonly CancellationTokenSource _requestsAborted = new();

    protected static readonly GatewayOptions Gateway = new();

    protected ConnectionRegistry Registry { get; } = new();

    protected StoppingLifetime Lifetime { get; } = new();

    protected string Token(string subject = Owner, TimeSpan? lifetime = null) =>
        _tokens.Issue(subject, Time.GetUtcNow(), Time.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1)));

    /// <summary>Accepts a socket: the connection runs until the client or the server ends it.</summary>
    /// <param name="redis">The Redis connection the gateway uses; by default <see cref="RedisStoreTestBase.Connection"/>.</param>
    private protected (TestClientSocket Client, GatewayConnection Connection, Task Run) Accept(IConnectionMultiplexer? redis = null)
    {
        redis ??= Connection;
        var sockets = new InMemoryWebSocketPair();
        var agentOptions = Options.Create(new AgentOptions { ChunkCount = 2, ChunkDelay = TimeSpan.Zero, LeaseDuration = LeaseDuration });
        var runs = Runs(redis: redis);
        var runner = new AgentRunner(runs, new DeterministicAgent(agentOptions), agentOptions, Time, NullLogger<AgentRunner>.Instance);
        var agentRuns = new AgentRunService(runner, runs, agentOptions, Time, NullLogger<AgentRunService>.Instance);
        var tokenOptions = Options.Create(_tokens.Options);
        var tokens = new AccessTokenValidator(
            new JwksKeyProvider(_tokens.JwksEndpoint(), tokenOptions, Time, NullLogger<JwksKeyProvider>.Instance),
            redis, tokenOptions, Time);
        var sessions = Sessions(redis: redis);
        var quota = new UserQuota(redis, Options.Create(Gateway), SessionOptions(), sessions, Time);
        var handshake = new SessionHandshake(sessions, tokens, new ReconnectLimiter(redis, Options.Create(Gateway)), quota,
            Options.Create(Gateway), SessionOptions(), Time);
        var connection = new GatewayConnection(sockets.Server, _requestsAborted.Token, handshake, sessions, quota, agentRuns, tokens,
            Registry, redis, Options.Create(Gateway), tokenOptions, Lifetime, Time, NullLogger<GatewayConnection>.Instance);
        var run = connection.RunAsync();
        _open.Add((connection, sockets, run));
        return (new TestClientSocket(sockets.Client), connection, run);
    }

    private protected async Task<(TestClientSocket Client, WelcomeMessage Welcome)> ConnectAsync(HelloMessage? hello = null)
    {
        var (client, _, _) = Accept();
        await client.SendAsync(hello ?? new HelloMessage(Token()));
        return (client, await client.ReceiveAsync<WelcomeMessage>());
    }

    [TestCleanup]
    public async Task CloseConnectionsAsync()
    {
        await _requestsAborted.CancelAsync();
        foreach (var (connection, sockets, run) in _open)
        {
            await run.WaitAsync(TimeSpan.FromSeconds(10));
            connection.Dispose();
            sockets.Dispose();
        }
        _tokens.Dispose();
        _requestsAborted.Dispose();
    }

    protected sealed class StoppingLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();
    }
}
