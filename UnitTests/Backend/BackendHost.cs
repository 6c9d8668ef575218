using AspireResilience.Backend.Apis;
using AspireResilience.Backend.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// The Backend's services and its socket pipeline as Program.cs builds them (rate limiter,
/// WebSockets, the gateway) on real Kestrel at 127.0.0.1:0, over the given Redis.
/// </summary>
internal sealed class BackendHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BackendHost(WebApplication app) => _app = app;

    public Uri WebSocketUri => new UriBuilder(_app.Urls.Single()) { Scheme = "ws", Path = GatewayApi.Path }.Uri;

    public static async Task<BackendHost> StartAsync(string redis, Dictionary<string, string?> configuration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = redis });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddBackendServices();
        var app = builder.Build();
        app.UseWebSockets();
        app.UseRateLimiter();
        app.MapGatewayApi();
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new BackendHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
