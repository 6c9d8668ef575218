using AspireResilience.ChaosProxy.Toxics;
using AspireResilience.ChaosProxy.Toxics.Latency;
using AspireResilience.ChaosProxy.Toxics.Slicer;
using Microsoft.Extensions.Time.Testing;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>The toxics over an in-memory sink and a fake clock: the pure parts, deterministic.</summary>
[TestClass]
public sealed class ToxicChainTests
{
    private readonly FakeTimeProvider _time = new();

    [TestMethod]
    public async Task LatencyToxicReleasesAChunkOnlyWhenTheLatencyHasElapsed()
    {
        var (pipeline, sink, _) = CreatePipeline();
        var toxic = CreateToxic("latency", ("latency", 100));
        var payload = SocketReads.RandomPayload(1000, seed: 1);

        var writing = pipeline.WriteAsync([toxic], payload, _time.GetTimestamp(), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.IsFalse(writing.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await writing.WaitAsync(TestTimeouts.Default);
        CollectionAssert.AreEqual(payload, sink.AllBytes);
    }

    [TestMethod]
    public void LatencyJitterStaysWithinLatencyPlusOrMinusJitterAndNeverBelowZero()
    {
        var options = new LatencyOptions { Latency = TimeSpan.FromMilliseconds(100), Jitter = TimeSpan.FromMilliseconds(50) };

        Assert.AreEqual(TimeSpan.FromMilliseconds(50), LatencyToxic.NextDelay(options, () => 0.0));
        Assert.AreEqual(TimeSpan.FromMilliseconds(100), LatencyToxic.NextDelay(options, () => 0.5));
        Assert.IsTrue(LatencyToxic.NextDelay(options, () => 0.999999) <= TimeSpan.FromMilliseconds(150));
        Assert.AreEqual(TimeSpan.Zero, LatencyToxic.NextDelay(new LatencyOptions { Latency = TimeSpan.FromMilliseconds(10), Jitter = TimeSpan.FromMilliseconds(50) }, () => 0.0));
    }

    [TestMethod]
    public async Task SlicerSplitsAChunkIntoSlicesOfAverageSizePlusOrMinusVariation()
    {
        var draws = new[] { 0.0, 0.25, 0.5, 0.75, 0.999 };
        var index = 0;
        var (pipeline, sink, _) = CreatePipeline(() => draws[index++ % draws.Length]);
        var toxic = CreateToxic("slicer", ("average_size", 100), ("size_variation", 50));
        var payload = SocketReads.RandomPayload(5000, seed: 2);

        await pipeline.WriteAsync([toxic], payload, _time.GetTimestamp(), CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);

        CollectionAssert.AreEqual(payload, sink.AllBytes);
        Assert.IsGreaterThan(30, sink.Writes.Count);
        Assert.IsTrue(sink.Writes.SkipLast(1).All(w => w.Length is >= 50 and <= 150), string.Join(",", sink.Writes.Select(w => w.Length)));
        Assert.AreEqual(50, SlicerToxic.NextSize(new SlicerOptions { AverageSize = 100, SizeVariation = 50 }, () => 0.0));
    }

    [TestMethod]
    public async Task BandwidthToxicReleasesBytesAtTheConfiguredRate()
    {
        var (pipeline, sink, _) = CreatePipeline();
        var toxic = CreateToxic("bandwidth", ("rate", 10)); // 10,000 bytes/s: 2,000 bytes take 200 ms.
        var payload = SocketReads.RandomPayload(2000, seed: 3);

        var writing = pipeline.WriteAsync([toxic], payload, _time.GetTimestamp(), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.IsFalse(writing.IsCompleted);
        Assert.IsEmpty(sink.Writes);

        _time.Advance(TimeSpan.FromMilliseconds(101));
        await writing.WaitAsync(TestTimeouts.Default);
        CollectionAssert.AreEqual(payload, sink.AllBytes);
    }

    [TestMethod]
    public async Task LimitDataDeliversExactlyTheLimitThenCloses()
    {
        var (pipeline, sink, context) = CreatePipeline();
        var toxic = CreateToxic("limit_data", ("bytes", 1000));
        var payload = SocketReads.RandomPayload(1200, seed: 4);

        await pipeline.WriteAsync([toxic], payload.AsMemory(0, 600), 0, CancellationToken.None);
        Assert.IsFalse(context.Ended.IsCompleted);
        await pipeline.WriteAsync([toxic], payload.AsMemory(600), 0, CancellationToken.None);

        Assert.AreEqual("close", await context.Ended.WaitAsync(TestTimeouts.Default));
        CollectionAssert.AreEqual(payload[..1000], sink.AllBytes);
    }

    [TestMethod]
    public async Task TimeoutToxicHoldsDataUntilRemovedThenReleasesItIntact()
    {
        var (pipeline, sink, context) = CreatePipeline();
        var toxic = CreateToxic("timeout", ("timeout", 0));
        var payload = SocketReads.RandomPayload(100, seed: 5);

        var writing = pipeline.WriteAsync([toxic], payload, 0, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.IsFalse(writing.IsCompleted);

        toxic.MarkRemoved();
        await writing.WaitAsync(TestTimeouts.Default);
        CollectionAssert.AreEqual(payload, sink.AllBytes);
        Assert.IsFalse(context.Ended.IsCompleted);
    }

    [TestMethod]
    public async Task TimeoutToxicClosesTheConnectionWhenItsTimeoutElapsesEvenWithoutData()
    {
        var (_, _, context) = CreatePipeline();
        var attachments = new ToxicAttachments();
        attachments.Synchronize(ToxicSet.Empty.Add(CreateToxic("timeout", ("timeout", 300))), context);

        _time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.IsFalse(context.Ended.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.AreEqual("close", await context.Ended.WaitAsync(TestTimeouts.Default));
    }

    [TestMethod]
    public async Task ResetPeerWithZeroTimeoutResetsOnTheNextDataAndDeliversNothing()
    {
        var (pipeline, sink, context) = CreatePipeline();

        await pipeline.WriteAsync([CreateToxic("reset_peer", ("timeout", 0))], new byte[10], 0, CancellationToken.None);

        Assert.AreEqual("reset", await context.Ended.WaitAsync(TestTimeouts.Default));
        Assert.IsEmpty(sink.Writes);
    }

    [TestMethod]
    public async Task SlowCloseDelaysTheEndOfStreamButNotTheData()
    {
        var (pipeline, sink, _) = CreatePipeline();
        var toxic = CreateToxic("slow_close", ("delay", 500));

        await pipeline.WriteAsync([toxic], new byte[10], 0, CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Default);
        var completing = pipeline.CompleteAsync([toxic], 0, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.IsFalse(completing.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await completing.WaitAsync(TestTimeouts.Default);
        Assert.IsTrue(sink.Completed);
        Assert.HasCount(1, sink.Writes);
    }

    [TestMethod]
    public void ToxicityIsDrawnOncePerConnectionAndToxicityZeroOrOneIsNeverInDoubt()
    {
        var draws = new Queue<double>([0.7, 0.1, 0.1]);
        var context = new FakeToxicContext(_time, () => draws.Dequeue());
        var attachments = new ToxicAttachments();
        var toxic = CreateToxic("latency", toxicity: 0.5);

        Assert.IsFalse(attachments.TryGetActive(toxic, context, out _));
        Assert.IsFalse(attachments.TryGetActive(toxic, context, out _), "decided once: a later low draw must not flip it");
        Assert.HasCount(2, draws);

        Assert.IsFalse(ToxicAttachments.Applies(toxicity: 0.0, draw: 0.0));
        Assert.IsTrue(ToxicAttachments.Applies(toxicity: 1.0, draw: 0.999999));
        Assert.IsTrue(ToxicAttachments.Applies(toxicity: 0.5, draw: 0.49));
        Assert.IsFalse(ToxicAttachments.Applies(toxicity: 0.5, draw: 0.5));
    }

    [TestMethod]
    public void UnknownAttributesAndInconsistentSlicerSizesAreRejectedWithAClearMessage()
    {
        var settings = new ToxicSettings("x", ToxicStream.Downstream, 1.0);

        Assert.IsFalse(ToxicCatalog.TryCreate("latency", settings, new Dictionary<string, long> { ["latncy"] = 1 }, out _, out var error));
        Assert.AreEqual("unknown attribute 'latncy' for toxic type 'latency'; expected: latency, jitter", error);
        Assert.IsFalse(ToxicCatalog.TryCreate("slicer", settings, new Dictionary<string, long> { ["average_size"] = 10, ["size_variation"] = 10 }, out _, out error));
        Assert.Contains("size_variation", error);
        Assert.IsFalse(ToxicCatalog.TryCreate("jitter", settings, new Dictionary<string, long>(), out _, out error));
        Assert.StartsWith("unknown toxic type 'jitter'", error);
    }

    private (ToxicPipeline Pipeline, CaptureSink Sink, FakeToxicContext Context) CreatePipeline(Func<double>? randomizer = null)
    {
        var context = new FakeToxicContext(_time, randomizer);
        var sink = new CaptureSink();
        return (new ToxicPipeline(context, new ToxicAttachments(), sink), sink, context);
    }

    private static Toxic CreateToxic(string type, params (string Key, long Value)[] attributes) => CreateToxic(type, 1.0, attributes);

    private static Toxic CreateToxic(string type, double toxicity, params (string Key, long Value)[] attributes)
    {
        Assert.IsTrue(
            ToxicCatalog.TryCreate(type, new ToxicSettings(type, ToxicStream.Downstream, toxicity), attributes.ToDictionary(a => a.Key, a => a.Value), out var toxic, out var error),
            error);
        return toxic;
    }
}
