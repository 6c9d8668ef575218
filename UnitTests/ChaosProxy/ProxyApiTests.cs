using System.Net;
using System.Net.Http.Json;
using AspireResilience.ChaosProxy.Client;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>The control API over HTTP through <see cref="ChaosProxyClient"/>: shapes, validation, status codes.</summary>
[TestClass]
public sealed class ProxyApiTests
{
    [TestMethod]
    public async Task ACreatedProxyReportsItsActualPortConnectionsAndBytes()
    {
        await using var server = LoopbackServer.StartEcho();
        await using var api = await ApiHost.StartAsync();

        var created = await api.Client.CreateProxyAsync("web", "127.0.0.1:0", server.Address);
        using var client = await SocketReads.ConnectAsync(created.ListenPort);
        await client.EchoRoundTripAsync(new byte[100]);
        var seen = await WaitForAsync(() => api.Client.GetProxyAsync("web"), p => p.Bytes.Downstream == 100);

        Assert.AreNotEqual(0, created.ListenPort);
        Assert.IsTrue(created.Enabled);
        Assert.AreEqual(1, seen.Connections);
        Assert.AreEqual(new ProxyBytes(100, 100), seen.Bytes);
    }

    [TestMethod]
    public async Task ProxiesDeclaredInConfigurationAreListeningAtStartUp()
    {
        await using var server = LoopbackServer.StartEcho();
        await using var api = await ApiHost.StartAsync(new()
        {
            ["ChaosProxy:Proxies:backend:Listen"] = "127.0.0.1:0",
            ["ChaosProxy:Proxies:backend:Upstream"] = $"localhost:{server.Port}",
        });

        var proxies = await api.Client.GetProxiesAsync();
        using var client = await SocketReads.ConnectAsync(proxies["backend"].ListenPort);

        Assert.AreEqual($"localhost:{server.Port}", proxies["backend"].Upstream);
        await client.EchoRoundTripAsync([1, 2, 3]);
    }

    [TestMethod]
    [DataRow("""{"type":"jitter"}""", "unknown toxic type 'jitter'")]
    [DataRow("""{"type":"latency","stream":"sideways"}""", "unknown stream 'sideways'")]
    [DataRow("""{"type":"latency","attributes":{"latency":-5}}""", "attribute 'latency' must be a non-negative integer")]
    [DataRow("""{"type":"latency","attributes":{"latency":"slow"}}""", "attribute 'latency' must be a non-negative integer")]
    [DataRow("""{"type":"latency","toxicity":1.5}""", "toxicity must be between 0 and 1")]
    [DataRow("""{"type":"slicer","attributes":{"average_size":0}}""", "'average_size' must be at least 1")]
    [DataRow("""{"type":"latency","attributes":{"latncy":5}}""", "unknown attribute 'latncy'")]
    [DataRow("""{"type":""", "invalid JSON")]
    public async Task InvalidToxicsAreRejectedWith400AndAClearMessage(string body, string expected)
    {
        await using var api = await ApiHost.StartAsync();
        await api.Client.CreateProxyAsync("p", "127.0.0.1:0", "localhost:1");

        using var response = await api.PostRawAsync("proxies/p/toxics", body);
        var error = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, error!["error"]);
    }

    [TestMethod]
    [DataRow("""{"name":"","listen":"127.0.0.1:0","upstream":"localhost:1"}""", "name is required")]
    [DataRow("""{"name":"p","listen":"nowhere","upstream":"localhost:1"}""", "listen 'nowhere' is not ip:port")]
    [DataRow("""{"name":"p","listen":"127.0.0.1:0","upstream":"localhost"}""", "upstream: 'localhost' is not host:port")]
    [DataRow("""{"name":"p","listen":"127.0.0.1:0","upstream":"localhost:70000"}""", "no valid port")]
    public async Task InvalidProxiesAreRejectedWith400AndAClearMessage(string body, string expected)
    {
        await using var api = await ApiHost.StartAsync();

        using var response = await api.PostRawAsync("proxies", body);
        var error = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, error!["error"]);
    }

    [TestMethod]
    public async Task DuplicatesAre409AndUnknownNamesAre404()
    {
        await using var api = await ApiHost.StartAsync();
        await api.Client.CreateProxyAsync("p", "127.0.0.1:0", "localhost:1");
        await api.Client.AddToxicAsync("p", Toxic.Latency(10));

        var duplicateProxy = await Assert.ThrowsAsync<ChaosProxyException>(() => api.Client.CreateProxyAsync("p", "127.0.0.1:0", "localhost:1"));
        var duplicateToxic = await Assert.ThrowsAsync<ChaosProxyException>(() => api.Client.AddToxicAsync("p", Toxic.Latency(20)));
        var unknownProxy = await Assert.ThrowsAsync<ChaosProxyException>(() => api.Client.GetProxyAsync("nope"));
        var unknownToxic = await Assert.ThrowsAsync<ChaosProxyException>(() => api.Client.RemoveToxicAsync("p", "nope"));

        Assert.AreEqual(HttpStatusCode.Conflict, duplicateProxy.StatusCode);
        Assert.AreEqual(HttpStatusCode.Conflict, duplicateToxic.StatusCode);
        Assert.Contains("toxic 'latency_downstream' already exists", duplicateToxic.Message);
        Assert.AreEqual(HttpStatusCode.NotFound, unknownProxy.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, unknownToxic.StatusCode);
    }

    [TestMethod]
    public async Task AnOversizedBodyIsRejectedWith413()
    {
        await using var api = await ApiHost.StartAsync();
        await api.Client.CreateProxyAsync("p", "127.0.0.1:0", "localhost:1");

        using var response = await api.PostRawAsync("proxies/p/toxics", $$"""{"type":"latency","name":"{{new string('x', 100_000)}}"}""");

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [TestMethod]
    public async Task ToxicsCanBeListedUpdatedAndRemoved()
    {
        await using var api = await ApiHost.StartAsync();
        await api.Client.CreateProxyAsync("p", "127.0.0.1:0", "localhost:1");

        var added = await api.Client.AddToxicAsync("p", Toxic.Slicer(100, stream: ToxicStream.Upstream) with { Toxicity = 0.5 });
        var updated = await api.Client.UpdateToxicAsync("p", added with { Attributes = new Dictionary<string, long> { ["delay"] = 7 } });
        var listed = await api.Client.GetToxicsAsync("p");
        await api.Client.RemoveToxicAsync("p", added.Name);

        Assert.AreEqual("slicer_upstream", added.Name);
        Assert.AreEqual(ToxicStream.Upstream, updated.Stream);
        Assert.AreEqual(0.5, updated.Toxicity);
        Assert.AreEqual(100, updated.Attributes["average_size"], "an update merges attributes");
        Assert.AreEqual(7, updated.Attributes["delay"]);
        Assert.HasCount(1, listed);
        Assert.IsEmpty(await api.Client.GetToxicsAsync("p"));
    }

    [TestMethod]
    public async Task ResetEnablesEveryProxyAndRemovesEveryToxic()
    {
        await using var api = await ApiHost.StartAsync();
        var created = await api.Client.CreateProxyAsync("p", "127.0.0.1:0", "localhost:1");
        await api.Client.AddToxicAsync("p", Toxic.Timeout(0));
        var down = await api.Client.SetEnabledAsync("p", false);

        await api.Client.ResetAsync();
        var after = await api.Client.GetProxyAsync("p");

        Assert.IsFalse(down.Enabled);
        Assert.IsTrue(after.Enabled);
        Assert.AreEqual(created.ListenPort, after.ListenPort);
        Assert.IsEmpty(after.Toxics);
    }

    [TestMethod]
    public async Task ResetConnectionsCutsOpenConnectionsAndReportsHowMany()
    {
        await using var server = LoopbackServer.StartEcho();
        await using var api = await ApiHost.StartAsync();
        var proxy = await api.Client.CreateProxyAsync("p", "127.0.0.1:0", server.Address);
        using var client = await SocketReads.ConnectAsync(proxy.ListenPort);
        await client.EchoRoundTripAsync([1]);

        var reset = await api.Client.ResetConnectionsAsync("p");

        Assert.AreEqual(1, reset);
        Assert.IsTrue((await client.ReadToEndAsync()).WasReset);
        Assert.IsTrue((await api.Client.GetProxyAsync("p")).Enabled);
    }

    // Polls a read-only view until it shows what the test waits for (counters update after the send completes).
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var value = await read();
            if (condition(value) || timeout.IsCancellationRequested)
            {
                return value;
            }

            await Task.Delay(10, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
