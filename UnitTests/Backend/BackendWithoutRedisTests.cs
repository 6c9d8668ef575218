using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AspireResilience.Backend.Extensions;
using AspireResilience.Contracts;
using AspireResilience.UnitTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// The Backend's composition when Redis is not there as it starts: the host starts anyway (it
/// used to block in the connect until Redis came back), /health says Unhealthy within the
/// check's bound, and
/// once Redis is up the process serves without a restart, its revocation subscription included.
/// </summary>
[TestClass]
public sealed class BackendWithoutRedisTests
{
    // The connect gives up after one attempt (ConnectTimeout, shortened here); the host must not wait longer.
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(10);

    // The check waits out a reconnect for SessionStoreHealthCheck.Timeout (2 s); the Redis client's own waited 5–6 s.
    private static readonly TimeSpan HealthBound = TimeSpan.FromSeconds(4);

    [TestMethod]
    public async Task TheHostStartsWhileNothingListensAndItsHealthSaysUnhealthy()
    {
        using var host = Build(RedisServerProcess.FindFreePort(), out _);
        await StartAsync(host);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(HealthBound);
        Assert.AreEqual(HealthStatus.Unhealthy, report.Status);
        Assert.IsFalse(host.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
        await host.StopAsync().WaitAsync(StartBound);
    }

    [TestMethod]
    public async Task TheHostStartsWhileRedisAcceptsButNeverAnswers()
    {
        // A listener that never accepts: the kernel completes the TCP handshake, nothing answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var host = Build(((IPEndPoint)silent.LocalEndpoint).Port, out _);
        await StartAsync(host);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(HealthBound);
        Assert.AreEqual(HealthStatus.Unhealthy, report.Status);
        await host.StopAsync().WaitAsync(StartBound);
    }

    [TestMethod]
    public async Task OnceRedisIsUpTheProcessIsHealthyAndHearsRevocationsWithoutARestart()
    {
        var port = RedisServerProcess.FindFreePort();
        using var host = Build(port, out var logs);
        await StartAsync(host);
        // The SUBSCRIBE made at start timed out in the multiplexer's backlog.
        await logs.WaitForAsync("did not take the subscription", TimeSpan.FromSeconds(10));

        await using var redis = await RedisServerProcess.StartAsync(port: port);

        var health = host.Services.GetRequiredService<HealthCheckService>();
        await WaitUntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(30));
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        await WaitUntilAsync(async () => (long)(await server.ExecuteAsync("PUBSUB", "NUMSUB", RevocationContract.Channel))[1] == 1,
            TimeSpan.FromSeconds(10));
        await host.StopAsync().WaitAsync(StartBound);
    }

    // On the thread pool: resolving the multiplexer used to block the calling thread in the connect.
    private static async Task StartAsync(IHost host)
    {
        await Task.Run(() => host.StartAsync()).WaitAsync(StartBound);
    }

    private static IHost Build(int port, out LogCapture logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = $"127.0.0.1:{port}";
        // Shorter than the defaults (5 s), so the tests wait less; the behaviour is the same.
        builder.Configuration["Aspire:StackExchange:Redis:ConfigurationOptions:ConnectTimeout"] = "1000";
        builder.Configuration["Aspire:StackExchange:Redis:ConfigurationOptions:AsyncTimeout"] = "1000";
        logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.AddBackendServices();
        return builder.Build();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(100, cancel.Token);
        }
    }

    /// <summary>Every log message, so a test can wait for one.</summary>
    private sealed class LogCapture : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _messages = new();
        private readonly SemaphoreSlim _logged = new(0);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _messages.Enqueue(formatter(state, exception));
            _logged.Release();
        }

        public async Task WaitForAsync(string fragment, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (!_messages.Any(m => m.Contains(fragment, StringComparison.Ordinal)))
            {
                await _logged.WaitAsync(cancel.Token);
            }
        }

        public void Dispose() => _logged.Dispose();
    }
}
