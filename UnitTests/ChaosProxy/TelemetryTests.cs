using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireResilience.ChaosProxy.Telemetry;
using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.UnitTests.ChaosProxy;

[TestClass]
public sealed class TelemetryTests
{
    [TestMethod]
    public async Task ToxicChangesAndCutConnectionsLeaveSpansAndBytesAreMetered()
    {
        const string proxyName = "telemetry";
        var spans = new ConcurrentQueue<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ChaosProxyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("chaosproxy.proxy"), proxyName))
                {
                    spans.Enqueue(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        long bytes = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ChaosProxyTelemetry.Name && instrument.Name == "chaosproxy.bytes")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Key == "proxy" && Equals(t.Value, proxyName)))
            {
                Interlocked.Add(ref bytes, value);
            }
        });
        meters.Start();

        await using var harness = await ProxyHarness.StartAsync(name: proxyName);
        using var client = await harness.ConnectAsync();
        await client.EchoRoundTripAsync(new byte[100]);
        Assert.IsTrue(SpinWait.SpinUntil(() => harness.Proxy.BytesDownstream == 100, TestTimeouts.Default), "counted after the send returns");
        var toxic = harness.AddToxic("latency", ToxicStream.Downstream, attributes: ("latency", 1));
        harness.Proxy.TryRemoveToxic(toxic.Name);
        harness.Proxy.ResetConnections("test");
        await client.ReadToEndAsync();

        CollectionAssert.IsSubsetOf(
            new[] { "chaosproxy toxic add", "chaosproxy toxic remove", "chaosproxy connection reset", "chaosproxy connections reset" },
            spans.ToArray());
        Assert.AreEqual(200, Interlocked.Read(ref bytes));
    }
}
