using System.Net.Sockets;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>Enable/disable, cutting connections, and how the pump propagates half-close and resets.</summary>
[TestClass]
public sealed class ProxyLifecycleTests
{
    [TestMethod]
    public async Task DisabledProxyRefusesNewConnectionsAndClosesOpenOnes()
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var client = await harness.ConnectAsync();
        await client.EchoRoundTripAsync([1, 2, 3]);

        await harness.Proxy.SetEnabledAsync(false, CancellationToken.None);
        var result = await client.ReadToEndAsync();
        var refused = await Assert.ThrowsAsync<SocketException>(() => SocketReads.ConnectAsync(harness.ProxyPort));

        Assert.IsFalse(result.WasReset, "down closes with FIN, as Toxiproxy does");
        Assert.AreEqual(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [TestMethod]
    public async Task ReenabledProxyListensAgainOnTheSamePort()
    {
        await using var harness = await ProxyHarness.StartAsync();
        var port = harness.ProxyPort;
        Assert.AreNotEqual(0, port);
        using (var client = await harness.ConnectAsync())
        {
            await client.EchoRoundTripAsync([1]);
            await harness.Proxy.SetEnabledAsync(false, CancellationToken.None);
            await client.ReadToEndAsync();
        }

        await harness.Proxy.SetEnabledAsync(true, CancellationToken.None);
        using var again = await harness.ConnectAsync();

        Assert.AreEqual(port, harness.ProxyPort);
        await again.EchoRoundTripAsync([4, 5, 6]);
    }

    [TestMethod]
    public async Task ResetConnectionsAbortsEveryOpenConnectionButKeepsListening()
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var first = await harness.ConnectAsync();
        using var second = await harness.ConnectAsync();
        await first.EchoRoundTripAsync([1]);
        await second.EchoRoundTripAsync([2]);

        var count = harness.Proxy.ResetConnections("test");

        Assert.AreEqual(2, count);
        Assert.IsTrue((await first.ReadToEndAsync()).WasReset);
        Assert.IsTrue((await second.ReadToEndAsync()).WasReset);
        using var third = await harness.ConnectAsync();
        await third.EchoRoundTripAsync([3]);
    }

    [TestMethod]
    public async Task HalfCloseIsPropagatedAndTheOtherDirectionKeepsFlowing()
    {
        await using var harness = await ProxyHarness.StartAsync(echo: false);
        using var client = await harness.ConnectAsync();
        using var server = await harness.Server.AcceptedAsync();

        await client.SendAllAsync("request"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        var atServer = await server.ReadToEndAsync();
        await server.SendAllAsync("late reply"u8.ToArray());
        server.Shutdown(SocketShutdown.Send);
        var atClient = await client.ReadToEndAsync();

        CollectionAssert.AreEqual("request"u8.ToArray(), atServer.Data);
        CollectionAssert.AreEqual("late reply"u8.ToArray(), atClient.Data);
        Assert.IsFalse(atServer.WasReset || atClient.WasReset);
    }

    [TestMethod]
    public async Task AnUpstreamResetReachesTheClientAsAReset()
    {
        await using var harness = await ProxyHarness.StartAsync(echo: false);
        using var client = await harness.ConnectAsync();
        var server = await harness.Server.AcceptedAsync();

        server.Abort();
        var result = await client.ReadToEndAsync();

        Assert.IsTrue(result.WasReset);
    }

    [TestMethod]
    public async Task AnUnreachableUpstreamResetsTheClient()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var harness = await ProxyHarness.StartAsync(upstream: $"127.0.0.1:{closedPort}");
        Socket client;
        try
        {
            client = await harness.ConnectAsync();
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            return; // The RST overtook the client's own connect completion: reset all the same.
        }

        using (client)
        {
            Assert.IsTrue((await client.ReadToEndAsync()).WasReset);
        }
    }

    [TestMethod]
    public async Task AHostNameUpstreamIsResolvedPerConnection()
    {
        await using var server = LoopbackServer.StartEcho();
        await using var harness = await ProxyHarness.StartAsync(upstream: $"localhost:{server.Port}");
        using var client = await harness.ConnectAsync();

        await client.EchoRoundTripAsync(SocketReads.RandomPayload(1000, seed: 20));
    }
}
