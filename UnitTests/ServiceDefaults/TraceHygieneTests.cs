using System.Diagnostics;
using AspireResilience.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Trace;

namespace AspireResilience.UnitTests.ServiceDefaults;

/// <summary>What ServiceDefaults keeps out of the traces: parentless Redis spans, health probes, the WebSocket upgrade.</summary>
[TestClass]
public sealed class TraceHygieneTests
{
    private const string OwnSource = "AspireResilience.TraceHygieneTests";

    [TestMethod]
    [DataRow(ParentlessRedisSpanFilter.RedisInstrumentationSource, false, true)]
    [DataRow(ParentlessRedisSpanFilter.RedisInstrumentationSource, true, false)]
    [DataRow("AspireResilience.Backend", false, false)]
    [DataRow("Microsoft.AspNetCore", false, false)]
    public void OnlyRedisSpansWithoutAParentAreDropped(string source, bool hasParent, bool dropped) =>
        Assert.AreEqual(dropped, ParentlessRedisSpanFilter.IsParentlessRedisSpan(source, hasParent ? ActivitySpanId.CreateRandom() : default));

    [TestMethod]
    public void ExportKeepsRedisSpansInsideATraceAndDropsTheRest()
    {
        var exported = new List<string>();
        using var host = Build(exported);
        using var redis = new ActivitySource(ParentlessRedisSpanFilter.RedisInstrumentationSource);
        using var own = new ActivitySource(OwnSource);

        Run(redis, "SMEMBERS");                          // the recovery scan: no span around it
        using (var hello = own.StartActivity("session.hello"))
        {
            Run(redis, "EVALSHA");                       // an attach inside a hello
        }
        using (var probe = own.StartActivity("GET /health"))
        {
            // What the ASP.NET Core instrumentation does to a filtered request: unrecorded.
            probe!.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            probe.IsAllDataRequested = false;
            Run(redis, "PING");                          // the health check's Redis probe
        }

        CollectionAssert.AreEquivalent(new[] { "EVALSHA", "session.hello" }, exported);
    }

    [TestMethod]
    [DataRow("/health", false)]
    [DataRow("/alive", false)]
    [DataRow("/ws", false)]
    [DataRow("/ws/more", false)]
    [DataRow("/wsx", true)]
    [DataRow("/connect/token", true)]
    [DataRow("/", true)]
    public void HttpServerSpansLeaveOutProbesAndTheWebSocketEndpoint(string path, bool traced)
    {
        using var host = Build([], excluded: "/ws");
        var filter = host.Services.GetRequiredService<IOptionsMonitor<AspNetCoreTraceInstrumentationOptions>>().Get(Options.DefaultName).Filter!;

        Assert.AreEqual(traced, filter(new DefaultHttpContext { Request = { Path = path } }));
    }

    private static IHost Build(List<string> exported, string? excluded = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        if (excluded is not null) builder.ExcludeFromHttpTracing(excluded);
        // In production the OTLP exporter's processor runs last (PipelineWeight 10,000); this
        // one is registered after ServiceDefaults' filter, which puts it last as well.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(ParentlessRedisSpanFilter.RedisInstrumentationSource, OwnSource)
            .AddProcessor(new SimpleActivityExportProcessor(new CollectingExporter(exported))));
        var host = builder.Build();
        host.Services.GetRequiredService<TracerProvider>();
        return host;
    }

    // As the Redis instrumentation does: a span per command, started and stopped after the fact.
    private static void Run(ActivitySource redis, string command)
    {
        using var activity = redis.StartActivity(command, ActivityKind.Client);
    }

    private sealed class CollectingExporter(List<string> names) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch) names.Add(activity.DisplayName);
            return ExportResult.Success;
        }
    }
}
