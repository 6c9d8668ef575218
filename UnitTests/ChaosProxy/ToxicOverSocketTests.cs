using System.Diagnostics;
using System.Net.Sockets;
using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>Each toxic through a real proxy on loopback: bytes, timing (generous tolerances) and how connections end.</summary>
[TestClass]
public sealed class ToxicOverSocketTests
{
    [TestMethod]
    public async Task LatencyToxicDelaysEveryChunkButKeepsBytesIntact()
    {
        await using var harness = await ProxyHarness.StartAsync();
        harness.AddToxic("latency", ToxicStream.Downstream, attributes: ("latency", 150));
        using var client = await harness.ConnectAsync();

        var payload = SocketReads.RandomPayload(256 * 1024, seed: 10);
        var elapsed = await client.EchoRoundTripAsync(payload);

        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140), elapsed);
    }

    [TestMethod]
    public async Task LatencyIsAddedOnceNotOncePerQueuedChunk()
    {
        await using var harness = await ProxyHarness.StartAsync();
        harness.AddToxic("latency", ToxicStream.Downstream, attributes: ("latency", 200));
        using var client = await harness.ConnectAsync();

        // 20 round trips pipelined: ~200 ms in all when latency is added, 4 s if it were per queued chunk.
        var started = Stopwatch.GetTimestamp();
        var payloads = Enumerable.Range(0, 20).Select(i => SocketReads.RandomPayload(100, seed: 100 + i)).ToList();
        foreach (var payload in payloads)
        {
            await client.SendAllAsync(payload);
        }

        var echoed = await client.ReadExactlyAsync(2000);
        var elapsed = Stopwatch.GetElapsedTime(started);

        CollectionAssert.AreEqual(payloads.SelectMany(p => p).ToArray(), echoed);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190), elapsed);
        Assert.IsLessThan(TimeSpan.FromMilliseconds(1500), elapsed);
    }

    [TestMethod]
    public async Task BandwidthToxicThrottlesToTheRateButKeepsBytesIntact()
    {
        await using var harness = await ProxyHarness.StartAsync(echo: false);
        harness.AddToxic("bandwidth", ToxicStream.Downstream, attributes: ("rate", 500)); // 500,000 bytes/s
        using var client = await harness.ConnectAsync();
        using var server = await harness.Server.AcceptedAsync();

        var payload = SocketReads.RandomPayload(250_000, seed: 11); // ideal: 500 ms
        await server.SendAllAsync(payload);
        server.Shutdown(SocketShutdown.Send);
        var result = await client.ReadToEndAsync();

        CollectionAssert.AreEqual(payload, result.Data);
        Assert.IsFalse(result.WasReset);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400), result.Elapsed);
        Assert.IsLessThan(TimeSpan.FromSeconds(5), result.Elapsed);
    }

    [TestMethod]
    public async Task SlicerToxicDeliversIdenticalBytesInSmallSlices()
    {
        await using var harness = await ProxyHarness.StartAsync();
        harness.AddToxic("slicer", ToxicStream.Upstream, attributes: [("average_size", 64), ("size_variation", 32), ("delay", 20)]);
        using var client = await harness.ConnectAsync();

        await client.EchoRoundTripAsync(SocketReads.RandomPayload(20_000, seed: 12));

        Assert.AreEqual(20_000, harness.Proxy.BytesUpstream);
    }

    [TestMethod]
    public async Task SlowCloseToxicDelaysTheEndOfStreamButNotTheData()
    {
        await using var harness = await ProxyHarness.StartAsync(echo: false);
        harness.AddToxic("slow_close", ToxicStream.Downstream, attributes: ("delay", 400));
        using var client = await harness.ConnectAsync();
        using var server = await harness.Server.AcceptedAsync();

        var started = Stopwatch.GetTimestamp();
        await server.SendAllAsync("hello"u8.ToArray());
        server.Shutdown(SocketShutdown.Send);
        var data = await client.ReadExactlyAsync(5);
        var dataElapsed = Stopwatch.GetElapsedTime(started);
        var result = await client.ReadToEndAsync();

        CollectionAssert.AreEqual("hello"u8.ToArray(), data);
        Assert.IsLessThan(TimeSpan.FromMilliseconds(300), dataElapsed);
        Assert.IsFalse(result.WasReset);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(380), Stopwatch.GetElapsedTime(started));
    }

    [TestMethod]
    public async Task TimeoutToxicHoldsDataAndClosesAfterTheTimeout()
    {
        await using var harness = await ProxyHarness.StartAsync(echo: false);
        harness.AddToxic("timeout", ToxicStream.Upstream, attributes: ("timeout", 300));
        var started = Stopwatch.GetTimestamp();
        using var client = await harness.ConnectAsync();
        using var server = await harness.Server.AcceptedAsync();

        await client.SendAllAsync("ping"u8.ToArray());
        var atClient = await client.ReadToEndAsync();
        var atServer = await server.ReadToEndAsync();

        Assert.IsEmpty(atServer.Data, "the blackhole let data through");
        Assert.IsFalse(atClient.WasReset, "a timeout closes with FIN, not RST");
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290), Stopwatch.GetElapsedTime(started));
    }

    [TestMethod]
    public async Task TimeoutZeroKeepsTheConnectionHalfOpenUntilTheToxicIsRemoved()
    {
        await using var harness = await ProxyHarness.StartAsync();
        harness.AddToxic("timeout", ToxicStream.Downstream, attributes: ("timeout", 0));
        using var client = await harness.ConnectAsync();

        await client.SendAllAsync("ping"u8.ToArray());
        var buffer = new byte[16];
        var receiving = client.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask();

        // An observation window, not a synchronisation: nothing may arrive or close within it.
        var first = await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.AreNotSame(receiving, first, "timeout 0 must neither deliver nor close");
        Assert.AreEqual(1, harness.Proxy.OpenConnections);

        Assert.IsTrue(harness.Proxy.TryRemoveToxic("timeout_downstream"));
        var read = await receiving.WaitAsync(TestTimeouts.Default);
        var rest = read < 4 ? await client.ReadExactlyAsync(4 - read) : [];
        CollectionAssert.AreEqual("ping"u8.ToArray(), buffer[..read].Concat(rest).ToArray());
    }

    [TestMethod]
    public async Task ResetPeerToxicGivesTheClientAConnectionResetNotAFin()
    {
        await using var harness = await ProxyHarness.StartAsync(echo: false);
        harness.AddToxic("reset_peer", ToxicStream.Upstream, attributes: ("timeout", 0));
        using var client = await harness.ConnectAsync();
        using var server = await harness.Server.AcceptedAsync();

        await client.SendAllAsync("ping"u8.ToArray());
        var atClient = await client.ReadToEndAsync();
        var atServer = await server.ReadToEndAsync();

        Assert.IsTrue(atClient.WasReset, "the client must see RST (ConnectionReset)");
        Assert.IsTrue(atServer.WasReset, "the upstream must see RST too");
        Assert.IsEmpty(atServer.Data);
    }

    [TestMethod]
    public async Task ResetPeerWithATimeoutResetsAnIdleConnectionWhenItElapses()
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var client = await harness.ConnectAsync();
        await client.EchoRoundTripAsync([1, 2, 3]);

        var started = Stopwatch.GetTimestamp();
        harness.AddToxic("reset_peer", ToxicStream.Downstream, attributes: ("timeout", 200));
        var result = await client.ReadToEndAsync();

        Assert.IsTrue(result.WasReset);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190), Stopwatch.GetElapsedTime(started));
    }

    [TestMethod]
    public async Task LimitDataToxicClosesAfterExactlyTheLimit()
    {
        await using var harness = await ProxyHarness.StartAsync(echo: false);
        harness.AddToxic("limit_data", ToxicStream.Downstream, attributes: ("bytes", 1000));
        using var client = await harness.ConnectAsync();
        using var server = await harness.Server.AcceptedAsync();

        var payload = SocketReads.RandomPayload(5000, seed: 13);
        await server.SendAllAsync(payload);
        var result = await client.ReadToEndAsync();

        Assert.IsFalse(result.WasReset, "limit_data closes with FIN");
        CollectionAssert.AreEqual(payload[..1000], result.Data);
    }

    [TestMethod]
    public async Task ToxicityZeroNeverAppliesAndToxicityOneAlwaysAppliesWithTheInjectedRandomizer()
    {
        await using var harness = await ProxyHarness.StartAsync(randomizer: () => 0.5);
        var toxic = harness.AddToxic("limit_data", ToxicStream.Downstream, toxicity: 0.4, attributes: ("bytes", 0));

        using (var spared = await harness.ConnectAsync())
        {
            await spared.EchoRoundTripAsync([1, 2, 3]);
        }

        Assert.IsTrue(harness.Proxy.TryRemoveToxic(toxic.Name));
        harness.AddToxic("limit_data", ToxicStream.Downstream, toxicity: 0.6, attributes: ("bytes", 0));
        using var hit = await harness.ConnectAsync();
        await hit.SendAllAsync([1, 2, 3]);
        var result = await hit.ReadToEndAsync();

        Assert.IsEmpty(result.Data);
    }

    [TestMethod]
    public async Task AToxicAddedToAnOpenConnectionAppliesFromItsNextChunk()
    {
        await using var harness = await ProxyHarness.StartAsync();
        using var client = await harness.ConnectAsync();
        var payload = SocketReads.RandomPayload(100, seed: 14);
        await client.EchoRoundTripAsync(payload);

        harness.AddToxic("latency", ToxicStream.Upstream, attributes: ("latency", 200));
        var slowed = await client.EchoRoundTripAsync(payload);
        Assert.IsTrue(harness.Proxy.TryRemoveToxic("latency_upstream"));
        var restored = await client.EchoRoundTripAsync(payload);

        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190), slowed);
        Assert.IsLessThan(TimeSpan.FromMilliseconds(190), restored);
    }
}
