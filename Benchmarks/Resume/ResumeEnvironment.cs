using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireResilience.Benchmarks.Resume;

/// <summary>The real AppHost for the recovery benchmarks, as the E2E suite runs it, with one benchmark user; spans are read in-process.</summary>
internal sealed class ResumeEnvironment : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly string _dataDirectory;
    private readonly HttpClient _auth;
    private readonly string _password;
    private string? _token;

    private ResumeEnvironment(DistributedApplication app, string dataDirectory, string password)
    {
        App = app;
        _dataDirectory = dataDirectory;
        _password = password;
        _auth = app.CreateHttpClient("authservice");
    }

    public const string User = "bench";
    public DistributedApplication App { get; }

    public Uri Direct => WebSocket(App.GetEndpoint("backend", "http"));
    public Uri ThroughChaosProxy => WebSocket(App.GetEndpoint("chaosproxy", "backend-proxy"));

    public static async Task<ResumeEnvironment> StartAsync(CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("aspire-resilience-bench-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--AppHost:DataDirectory={dataDirectory}",
                "--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:0",
                "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:0",
                "--ASPNETCORE_URLS=http://localhost:0",
            ],
            // The dashboard stays on: it is the services' OTLP receiver, as in the E2E suite. Without
            // it the exporters point at a closed port and each graceful shutdown waits for its final
            // flush (~6 s even with ServiceDefaults' 2 s export timeout), which would skew the restarts.
            (options, _) => options.DisableDashboard = false, cancellationToken);
        // The AppHost's own health probes fail while resources start; that is not news here.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        builder.CreateResourceBuilder<ProjectResource>("authservice")
            .WithEnvironment($"Auth__Users__{User}", password)
            .WithEnvironment("Auth__AccessTokenLifetime", "01:00:00");
        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        foreach (var resource in new[] { "redis", "authservice", "backend", "chaosproxy" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        }
        return new ResumeEnvironment(app, dataDirectory, password);
    }

    /// <summary>Caches the access token as a real client would, so resume timings do not include a login.</summary>
    public async ValueTask<string> TokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (_token is not null && !forceRefresh) return _token;
        using var response = await _auth.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = User, ["password"] = _password,
        }), cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return _token = body.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _auth.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static Uri WebSocket(Uri endpoint) => new UriBuilder("ws", endpoint.Host, endpoint.Port, "/ws").Uri;
}
