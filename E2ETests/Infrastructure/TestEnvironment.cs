using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using AspireResilience.ChaosProxy.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// The real AppHost, started once per test class: Redis, AuthService and Backend as real
/// processes, the dashboard on as the OTLP receiver. Each instance has its own data directory
/// and its own users, so classes never share state.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    public const string Backend = "backend";
    public const string Auth = "authservice";
    public const string Redis = "redis";
    public const string Chaos = "chaosproxy";
    /// <summary>ChaosProxy's proxy names (AppHost/Chaos): the client ↔ Backend and Backend ↔ Redis hops.</summary>
    public const string BackendProxy = "backend";
    public const string RedisProxy = "redis";
    private const string Dashboard = "aspire-dashboard";

    private readonly string _dataDirectory;
    private readonly HttpClient _dashboardHttp;
    private readonly HttpClient _authHttp;
    private readonly HttpClient _chaosHttp;

    private TestEnvironment(DistributedApplication app, TestUsers users, string dataDirectory, string dashboardApiKey)
    {
        App = app;
        Users = users;
        _dataDirectory = dataDirectory;
        _dashboardHttp = new HttpClient { BaseAddress = app.GetEndpoint(Dashboard, "http") };
        _dashboardHttp.DefaultRequestHeaders.Add("x-api-key", dashboardApiKey);
        _authHttp = app.CreateHttpClient(Auth);
        Tokens = new TokenClient(_authHttp);
        _chaosHttp = app.CreateHttpClient(Chaos, "http");
        ChaosProxy = new ChaosProxyClient(_chaosHttp);
        Traces = new DashboardTraces(_dashboardHttp);
        Faults = new ResourceFaults(app);
    }

    public DistributedApplication App { get; }

    /// <summary>This environment's data: <c>redis/</c> (the append-only file) and <c>auth-keys/</c> (the AuthService's signing keys).</summary>
    public string DataDirectory => _dataDirectory;
    public TestUsers Users { get; }
    public TokenClient Tokens { get; }
    public DashboardTraces Traces { get; }
    public ResourceFaults Faults { get; }

    /// <summary>The ChaosProxy control API (toxics on the client and Redis hops).</summary>
    public ChaosProxyClient ChaosProxy { get; }
    public ClientSpanRecorder ClientSpans { get; } = new();

    /// <summary>The Backend's WebSocket endpoint through ChaosProxy (the path clients use, so faults can be injected).</summary>
    public Uri BackendWebSocket => WebSocketUri(App.GetEndpoint(Chaos, $"{BackendProxy}-proxy"));

    private static Uri WebSocketUri(Uri endpoint) => new UriBuilder("ws", endpoint.Host, endpoint.Port, "/ws").Uri;

    /// <param name="configure">Changes to the model before it starts (environment of a resource, replicas…).</param>
    public static async Task<TestEnvironment> StartAsync(string name, Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory($"aspire-resilience-{name}-").FullName;
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--AppHost:DataDirectory={dataDirectory}",
                $"--AppHost:DashboardApiKey={apiKey}",
                "--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:0",
                "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:0",
                "--ASPNETCORE_URLS=http://localhost:0",
            ],
            (options, _) => options.DisableDashboard = false,
            Timeouts.Token(Timeouts.StartStop));
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        var users = new TestUsers(name.ToLowerInvariant());
        var auth = builder.CreateResourceBuilder<ProjectResource>(Auth);
        foreach (var (user, password) in users.All)
        {
            auth.WithEnvironment($"Auth__Users__{user}", password);
        }
        configure?.Invoke(builder);

        var app = await builder.BuildAsync(Timeouts.Token(Timeouts.StartStop));
        await app.StartAsync(Timeouts.Token(Timeouts.StartStop));
        await Task.WhenAll(
            app.ResourceNotifications.WaitForResourceHealthyAsync(Redis),
            app.ResourceNotifications.WaitForResourceHealthyAsync(Auth),
            app.ResourceNotifications.WaitForResourceHealthyAsync(Chaos),
            app.ResourceNotifications.WaitForResourceHealthyAsync(Backend)).WaitAsync(Timeouts.StartStop);
        return new TestEnvironment(app, users, dataDirectory, apiKey);
    }

    public async ValueTask DisposeAsync()
    {
        ClientSpans.Dispose();
        _dashboardHttp.Dispose();
        _authHttp.Dispose();
        _chaosHttp.Dispose();
        await App.StopAsync(Timeouts.Token(Timeouts.StartStop));
        await App.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
