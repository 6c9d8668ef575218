using System.Diagnostics;
using OpenTelemetry;

namespace AspireResilience.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps background Redis traffic out of the Traces page. The Redis instrumentation that
/// <c>AddRedisClient</c> installs makes a span of every command; a command issued outside any
/// span (the run-recovery scan, session touches, the outbox safety-net poll, a health check run
/// outside a request) becomes a trace of its own — thousands in minutes. This processor clears
/// the Recorded flag of such parentless Redis spans when they end; the export processors skip
/// unrecorded activities. Redis commands made inside a span (a hello, a run) stay its children.
/// </summary>
/// <remarks>
/// It must run before the exporter: processors run in <c>PipelineWeight</c>
/// order, and <c>UseOtlpExporter</c> gives its processor weight 10,000 (this one keeps 0). The
/// instrumentation has a filter option of its own, but the copy Aspire ships is internal.
/// </remarks>
public sealed class ParentlessRedisSpanFilter : BaseProcessor<Activity>
{
    /// <summary>The ActivitySource of the StackExchange.Redis instrumentation (Aspire's copy uses the same name).</summary>
    public const string RedisInstrumentationSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    public override void OnEnd(Activity data)
    {
        if (IsParentlessRedisSpan(data.Source.Name, data.ParentSpanId))
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    /// <summary>True for a Redis command span that would start a trace of its own.</summary>
    public static bool IsParentlessRedisSpan(string sourceName, ActivitySpanId parentSpanId) =>
        sourceName == RedisInstrumentationSource && parentSpanId == default;
}
