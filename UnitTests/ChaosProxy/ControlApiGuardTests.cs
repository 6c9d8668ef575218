using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>
/// The control API answers only the AppHost's tests and dashboard: its bearer token, no browser
/// (<c>Origin</c>), JSON bodies only, proxies only on loopback. On main it answered anyone.
/// </summary>
[TestClass]
public sealed class ControlApiGuardTests
{
    private const string ValidProxy = """{"name":"p","listen":"127.0.0.1:0","upstream":"localhost:1"}""";

    [TestMethod]
    [DataRow(null)]
    [DataRow("wrong-token-0123456789")]
    [DataRow("")]
    public async Task ARequestWithoutTheTokenIsRefusedWith401(string? token)
    {
        await using var api = await ApiHost.StartAsync();

        using var read = await api.SendRawAsync(HttpMethod.Get, "proxies", content: null, token);
        using var create = await api.SendRawAsync(HttpMethod.Post, "proxies", Json(ValidProxy), token);
        using var reset = await api.SendRawAsync(HttpMethod.Post, "reset", content: null, token);

        Assert.AreEqual(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.AreEqual("Bearer", read.Headers.WwwAuthenticate.Single().Scheme);
        Assert.AreEqual(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, reset.StatusCode);
        Assert.IsEmpty(await api.Client.GetProxiesAsync(), "nothing was created");
    }

    [TestMethod]
    [DataRow("text/plain")]
    [DataRow("application/x-www-form-urlencoded")]
    [DataRow("multipart/form-data; boundary=x")]
    public async Task ABodyThatIsNotJsonIsRefusedWith415(string contentType)
    {
        await using var api = await ApiHost.StartAsync();
        var body = new StringContent(ValidProxy, Encoding.UTF8);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await api.SendRawAsync(HttpMethod.Post, "proxies", body, ApiHost.Token);

        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.IsEmpty(await api.Client.GetProxiesAsync(), "a simple (no-preflight) POST created nothing");
    }

    [TestMethod]
    [DataRow("http://evil.example")]
    [DataRow("null")]
    [DataRow("http://localhost:5170")]
    public async Task ARequestCarryingAnOriginIsRefusedWith403EvenWithTheToken(string origin)
    {
        await using var api = await ApiHost.StartAsync();

        using var create = await api.SendRawAsync(HttpMethod.Post, "proxies", Json(ValidProxy), ApiHost.Token,
            new Dictionary<string, string> { ["Origin"] = origin });
        using var read = await api.SendRawAsync(HttpMethod.Get, "proxies", content: null, ApiHost.Token,
            new Dictionary<string, string> { ["Origin"] = origin });

        Assert.AreEqual(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.AreEqual(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.IsEmpty(await api.Client.GetProxiesAsync());
    }

    [TestMethod]
    [DataRow("0.0.0.0:0")]
    [DataRow("[::]:0")]
    [DataRow("10.1.2.3:0")]
    public async Task AProxyListeningBeyondLoopbackIsRefusedWith400(string listen)
    {
        await using var api = await ApiHost.StartAsync();

        using var response = await api.PostRawAsync("proxies", $$"""{"name":"p","listen":"{{listen}}","upstream":"localhost:1"}""");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a loopback address", await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task AProxyDeclaredBeyondLoopbackStopsTheStartUp()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiHost.StartAsync(new()
        {
            ["ChaosProxy:Proxies:open:Listen"] = "0.0.0.0:0",
            ["ChaosProxy:Proxies:open:Upstream"] = "localhost:1",
        }));

        Assert.Contains("not a loopback address", failure.Message);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("short")]
    public async Task WithoutAnApiTokenTheChaosProxyDoesNotStart(string? token)
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() => ApiHost.StartAsync(new() { ["ChaosProxy:ApiToken"] = token }));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
