using System.Net;
using System.Net.Sockets;
using AspireResilience.ChaosProxy.Proxies;
using AspireResilience.ChaosProxy.Telemetry;
using AspireResilience.ChaosProxy.Toxics;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>An upstream server on port 0 and a proxy on port 0 in front of it, with an injected randomizer.</summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private ProxyHarness(LoopbackServer server, ProxyRegistry registry, Proxy proxy)
    {
        Server = server;
        Registry = registry;
        Proxy = proxy;
    }

    public LoopbackServer Server { get; }

    public ProxyRegistry Registry { get; }

    public Proxy Proxy { get; }

    public int ProxyPort => IPEndPoint.Parse(Proxy.Listen).Port;

    public static ProxyEnvironment CreateEnvironment(Func<double>? randomizer = null) => new(
        TimeProvider.System,
        randomizer ?? (() => 0.5),
        new ChaosProxyTelemetry(),
        NullLoggerFactory.Instance,
        UpstreamConnectTimeout: TimeSpan.FromSeconds(5));

    public static async Task<ProxyHarness> StartAsync(bool echo = true, Func<double>? randomizer = null, string? upstream = null, string name = "test")
    {
        var server = echo ? LoopbackServer.StartEcho() : LoopbackServer.StartManual();
        var registry = new ProxyRegistry(CreateEnvironment(randomizer));
        HostPort.TryParse(upstream ?? server.Address, out var upstreamAddress, out _);
        var proxy = await registry.CreateAsync(
            new ProxyDefinition(name, new IPEndPoint(IPAddress.Loopback, 0), upstreamAddress!, Enabled: true),
            CancellationToken.None);
        return new ProxyHarness(server, registry, proxy!);
    }

    public Task<Socket> ConnectAsync() => SocketReads.ConnectAsync(ProxyPort);

    /// <summary>Adds a toxic the way the API does (same catalog, same validation).</summary>
    public Toxic AddToxic(string type, ToxicStream stream, double toxicity = 1.0, params (string Key, long Value)[] attributes)
    {
        var name = $"{type}_{ToxicCatalog.Format(stream)}";
        if (!ToxicCatalog.TryCreate(type, new ToxicSettings(name, stream, toxicity), attributes.ToDictionary(a => a.Key, a => a.Value), out var toxic, out var error))
        {
            throw new AssertFailedException(error);
        }

        Assert.IsTrue(Proxy.TryAddToxic(toxic));
        return toxic;
    }

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        await Server.DisposeAsync();
    }
}
