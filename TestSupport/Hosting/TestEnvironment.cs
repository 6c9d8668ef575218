using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.Client.Tokens;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Auth;
using AspireResilience.TestSupport.Faults;
using AspireResilience.TestSupport.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireResilience.TestSupport.Hosting;

/// <summary>
/// The real AppHost started for tests and benchmarks: Redis, AuthService, Backend and
/// ChaosProxy as real processes, the dashboard on as the OTLP receiver and telemetry oracle.
/// Each instance has its own data folder and its own users, so instances never share state.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    private const string Dashboard = "aspire-dashboard";

    /// <summary>The services whose logs the error check reads (Redis sends no telemetry).</summary>
    public static IReadOnlyList<string> Services { get; } = [ResourceNames.Backend, ResourceNames.Auth, ResourceNames.Chaos];

    private readonly HttpClient _dashboardHttp;
    private readonly HttpClient _authHttp;
    private readonly HttpClient _chaosHttp;

    private TestEnvironment(DistributedApplication app, TestUsers users, string dataDirectory, string dashboardApiKey, string chaosApiToken,
        IReadOnlyDictionary<string, IReadOnlyList<string>> instances)
    {
        App = app;
        Users = users;
        DataDirectory = dataDirectory;
        _dashboardHttp = new HttpClient { BaseAddress = app.GetEndpoint(Dashboard, "http") };
        _dashboardHttp.DefaultRequestHeaders.Add("x-api-key", dashboardApiKey);
        _authHttp = app.CreateHttpClient(ResourceNames.Auth);
        Tokens = new TokenClient(_authHttp);
        _chaosHttp = app.CreateHttpClient(ResourceNames.Chaos, "http");
        ChaosProxy = new ChaosProxyClient(_chaosHttp, chaosApiToken);
        Telemetry = new DashboardTelemetry(_dashboardHttp);
        Faults = new ResourceFaults(app, instances);
        ErrorLog = new ErrorLogReader(Telemetry, () => [.. Services.SelectMany(s => instances[s].Select(id => ResourceInstance.Read(app, s, id)))]);
    }

    public DistributedApplication App { get; }

    /// <summary>This environment's data: <c>redis/</c> (the append-only file) and <c>auth-keys/</c> (the AuthService's signing keys).</summary>
    public string DataDirectory { get; }

    public TestUsers Users { get; }
    public TokenClient Tokens { get; }

    /// <summary>The dashboard's telemetry API: the services' spans and logs.</summary>
    public DashboardTelemetry Telemetry { get; }

    /// <summary>Errors the services logged, read in order up to a marker (see <see cref="ErrorLogReader"/>).</summary>
    public ErrorLogReader ErrorLog { get; }

    public ResourceFaults Faults { get; }

    /// <summary>The ChaosProxy control API (toxics on the client and Redis hops).</summary>
    public ChaosProxyClient ChaosProxy { get; }

    /// <summary>The in-process client's spans, the client half of each distributed trace.</summary>
    public ClientSpanRecorder ClientSpans { get; } = new();

    /// <summary>The Backend's WebSocket endpoint through ChaosProxy (the path clients use, so faults can be injected).</summary>
    public Uri BackendWebSocket => WebSocketUri(App.GetEndpoint(ResourceNames.Chaos, ChaosProxyNames.Endpoint(ChaosProxyNames.Backend)));

    /// <summary>The Backend's own WebSocket endpoint, bypassing ChaosProxy (with replicas: DCP's proxy in front of them).</summary>
    public Uri BackendWebSocketDirect => WebSocketUri(App.GetEndpoint(ResourceNames.Backend, "http"));

    /// <summary>Each Backend replica's own WebSocket endpoint, in instance order: no proxy at all.</summary>
    public IReadOnlyList<Uri> BackendReplicaWebSockets =>
        [.. Faults.Instances(ResourceNames.Backend).Select(id => WebSocketUri(ResourceInstance.Read(App, ResourceNames.Backend, id).Address))];

    private static Uri WebSocketUri(Uri endpoint) => new UriBuilder("ws", endpoint.Host, endpoint.Port, "/ws").Uri;

    public static async Task<TestEnvironment> StartAsync(EnvironmentOptions options, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeouts.StartStop);
        var dataDirectory = Directory.CreateTempSubdirectory($"aspire-resilience-{options.Name}-").FullName;
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--AppHost:DataDirectory={dataDirectory}",
                $"--AppHost:DashboardApiKey={apiKey}",
                "--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:0",
                "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:0",
                "--ASPNETCORE_URLS=http://localhost:0",
                .. options.BackendReplicas is { } replicas ? [$"--Backend:Replicas={replicas}"] : Array.Empty<string>(),
                .. options.RedisMode is { } mode ? [$"--Redis:Mode={mode}"] : Array.Empty<string>(),
            ],
            // The dashboard is the services' OTLP receiver and the tests' telemetry oracle.
            (appOptions, _) => appOptions.DisableDashboard = false,
            timeout.Token);
        // The AppHost's own health probes fail while resources start; that is not news here.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));

        var users = new TestUsers(options.Name.ToLowerInvariant(), options.UserPoolSize);
        var auth = builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth);
        foreach (var (user, password) in users.All)
        {
            auth.WithEnvironment($"Auth__Users__{user}", password);
        }
        // Every test client connects from loopback, so the whole suite is one remote address to
        // the Backend: its per-address handshake limit (a production default) is off here.
        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend).WithEnvironment("Connections__HandshakesPerSecondPerAddress", "0");
        foreach (var service in Services)
        {
            ErrorLogReader.EnableMarkers(builder.CreateResourceBuilder<ProjectResource>(service));
        }
        options.Configure?.Invoke(builder);

        // The AppHost generates the ChaosProxy API's token per run; the tests hold it like the dashboard does.
        var chaosApiToken = await builder.Resources.OfType<ParameterResource>()
            .Single(p => p.Name == ChaosProxyNames.ApiTokenParameter).GetValueAsync(timeout.Token)
            ?? throw new InvalidOperationException("the ChaosProxy API token has no value");
        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            string[] resources = [ResourceNames.Redis, ResourceNames.Auth, ResourceNames.Chaos, ResourceNames.Backend];
            IReadOnlyList<string>[] instances;
            try
            {
                instances = await Task.WhenAll(resources.Select(r => ResourceHealth.WaitForAllReplicasHealthyAsync(app, r, timeout.Token)));
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the environment '{options.Name}' was not healthy {Timeouts.StartStop.TotalSeconds:0} s after it was started:\n"
                    + await ResourceDiagnosis.DescribeUnhealthyAsync(app, resources), e);
            }
            // Each service instance answers at its own address too (the error-log markers go there).
            await Task.WhenAll(Services.SelectMany(service => instances[Array.IndexOf(resources, service)]
                .Select(id => ResourceHealth.WaitForOwnAddressAsync(ResourceInstance.Read(app, service, id).Address, timeout.Token))));
            var environment = new TestEnvironment(app, users, dataDirectory, apiKey, chaosApiToken,
                resources.Zip(instances).ToDictionary(p => p.First, p => p.Second));
            // Nothing may have gone wrong while starting; from here on every error belongs to a test.
            var startup = await environment.ErrorLog.ReadNewErrorsAsync(timeout.Token);
            if (startup.Count > 0)
            {
                throw new InvalidOperationException("errors logged while the environment started: " + ErrorLogReader.Describe(startup));
            }
            return environment;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ClientSpans.Dispose();
        ErrorLog.Dispose();
        _dashboardHttp.Dispose();
        _authHttp.Dispose();
        _chaosHttp.Dispose();
        await App.StopAsync(Timeouts.Token(Timeouts.StartStop));
        await App.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
