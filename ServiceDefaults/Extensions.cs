using System.Diagnostics;
using AspireResilience.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every AspireResilience service shares: OpenTelemetry over OTLP, health checks,
/// service discovery and standard HTTP resilience.
/// </summary>
public static class Extensions
{
    internal const string HealthEndpointPath = "/health";
    internal const string AlivenessEndpointPath = "/alive";

    /// <summary>The ActivitySource and Meter names of this product; all start with this prefix.</summary>
    public const string TelemetryPrefix = "AspireResilience.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddProcessor(new ParentlessRedisSpanFilter()));
        builder.Services.AddOptions<AspNetCoreTraceInstrumentationOptions>()
            .Configure<IOptions<HttpServerTracingOptions>>((instrumentation, tracing) =>
                instrumentation.Filter = context => tracing.Value.IsTraced(context.Request.Path));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // A collector that does not answer must not hold a graceful shutdown hostage: with the
            // exporter's 10 s default (and retries) the final flush outlasted Aspire's stop timeout,
            // so a restart command failed. Two seconds is plenty for a local or sidecar collector.
            builder.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"] ??= "2000";
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Leaves requests to <paramref name="path"/> (and below) out of the HTTP server spans, for an endpoint the service traces itself.</summary>
    public static TBuilder ExcludeFromHttpTracing<TBuilder>(this TBuilder builder, PathString path) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<HttpServerTracingOptions>(options => options.ExcludedPaths.Add(path));
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes run outside any trace. Their request spans are filtered out, but the Redis PING
        // of the health check would still be exported under that unexported parent: a stray
        // trace per probe (the AppHost probes every 30 s). Without a parent, the PING is one of
        // the parentless Redis spans ParentlessRedisSpanFilter drops.
        app.Use((context, next) =>
        {
            if (IsHealthProbe(context.Request.Path)) Activity.Current = null;
            return next(context);
        });
        // Health endpoints are mapped in every environment: the AppHost and the E2E suite
        // gate on them. They reveal nothing but Healthy/Unhealthy.
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
        });
        return app;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
