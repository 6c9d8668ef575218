using AspireResilience.ChaosProxy.Apis;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.ChaosProxy.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>The ChaosProxy app (AddChaosProxy + MapProxyApi) on real Kestrel at 127.0.0.1:0, with a typed client.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
        Client = new ChaosProxyClient(http);
    }

    public HttpClient Http { get; }

    public ChaosProxyClient Client { get; }

    public static async Task<ApiHost> StartAsync(Dictionary<string, string?>? configuration = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        builder.AddChaosProxy();
        var app = builder.Build();
        app.MapProxyApi();
        await app.StartAsync().WaitAsync(TestTimeouts.Default);
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/"), Timeout = TestTimeouts.Default };
        return new ApiHost(app, http);
    }

    /// <summary>Posts raw JSON, for bodies the typed client cannot express.</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        Http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(TestTimeouts.Default);
        await _app.DisposeAsync();
    }
}
