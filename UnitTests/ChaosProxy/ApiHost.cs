using AspireResilience.ChaosProxy.Apis;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.ChaosProxy.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>
/// The ChaosProxy app (AddChaosProxy + MapProxyApi) on real Kestrel at 127.0.0.1:0, with a typed
/// client that holds its API token. <see cref="Http"/> sends no token by itself.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string Token = "unit-test-api-token-0123456789";

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
        Client = new ChaosProxyClient(http, Token);
    }

    public HttpClient Http { get; }

    public ChaosProxyClient Client { get; }

    public static async Task<ApiHost> StartAsync(Dictionary<string, string?>? configuration = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ChaosProxy:ApiToken"] = Token });
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        builder.AddChaosProxy();
        var app = builder.Build();
        app.MapProxyApi();
        try
        {
            await app.StartAsync().WaitAsync(TestTimeouts.Default);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/"), Timeout = TestTimeouts.Default };
        return new ApiHost(app, http);
    }

    /// <summary>Posts raw JSON with the token, for bodies the typed client cannot express.</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        SendRawAsync(HttpMethod.Post, path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Token);

    /// <summary>Sends a request exactly as given: with or without the token, any content, any headers.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, string? token,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(TestTimeouts.Default);
        await _app.DisposeAsync();
    }
}
