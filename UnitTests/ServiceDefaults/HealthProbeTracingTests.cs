using System.Diagnostics;
using AspireResilience.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AspireResilience.UnitTests.ServiceDefaults;

/// <summary>
/// A health probe runs outside any trace, so its check's Redis commands are parentless spans that
/// the export drops — even when the prober sends a sampled <c>traceparent</c>, as the AppHost does
/// every 30 s. (On F5 the Redis instrumentation, which builds its spans after the fact from a
/// profiling session, exported a PING under each probe's unexported request span: a stray trace
/// every 30 s.) Real Kestrel on loopback, real OpenTelemetry pipeline.
/// </summary>
[TestClass]
public sealed class HealthProbeTracingTests
{
    private static readonly ActivitySource Redis = new(ParentlessRedisSpanFilter.RedisInstrumentationSource);
    private static readonly Dictionary<string, Activity?> CurrentDuring = [];

    [TestMethod]
    public async Task AProbeWithASampledTraceparentExportsNothingWhileARequestKeepsItsRedisSpan()
    {
        var exported = new List<string>();
        await using var app = await StartAsync(exported);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        await GetAsync(http, "/health");
        await GetAsync(http, "/work");

        Assert.IsNull(CurrentDuring["/health"], "the health check runs outside any span");
        Assert.IsNotNull(CurrentDuring["/work"], "a request's work runs inside its span");
        var provider = app.Services.GetRequiredService<TracerProvider>();
        Assert.IsTrue(provider.ForceFlush(10_000));
        lock (exported)
        {
            CollectionAssert.Contains(exported, "PING /work", "a request's Redis span stays in its trace");
            CollectionAssert.DoesNotContain(exported, "PING /health", "the probe's Redis span must not be exported");
        }
    }

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<WebApplication> StartAsync(List<string> exported)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        // A health check that talks to Redis, as AddRedisClient's does.
        builder.Services.AddHealthChecks().AddCheck("redis", () =>
        {
            lock (CurrentDuring) CurrentDuring["/health"] = Activity.Current;
            RedisCommand("PING /health");
            return HealthCheckResult.Healthy();
        });
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(ParentlessRedisSpanFilter.RedisInstrumentationSource)
            .AddProcessor(new SimpleActivityExportProcessor(new CollectingExporter(exported))));
        var app = builder.Build();
        app.MapGet("/work", () =>
        {
            lock (CurrentDuring) CurrentDuring["/work"] = Activity.Current;
            return RedisCommand("PING /work");
        });
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    // As the Redis instrumentation does: a client span under whatever span is current.
    private static string RedisCommand(string name)
    {
        using var activity = Redis.StartActivity(name, ActivityKind.Client);
        return name;
    }

    private sealed class CollectingExporter(List<string> names) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            lock (names)
            {
                foreach (var activity in batch) names.Add(activity.DisplayName);
            }
            return ExportResult.Success;
        }
    }
}
