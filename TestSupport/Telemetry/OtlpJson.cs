using System.Text.Json;

namespace AspireResilience.TestSupport.Telemetry;

/// <summary>Reads spans out of an OTLP JSON document (<c>resourceSpans[].scopeSpans[].spans[]</c>).</summary>
public static class OtlpJson
{
    public static IEnumerable<TelemetrySpan> ReadSpans(JsonElement root)
    {
        var data = root.TryGetProperty("data", out var d) ? d : root;
        if (!data.TryGetProperty("resourceSpans", out var resourceSpans)) yield break;
        foreach (var rs in resourceSpans.EnumerateArray())
        {
            var resource = ResourceName(rs);
            var instance = ResourceAttribute(rs, "service.instance.id");
            foreach (var ss in rs.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in ss.GetProperty("spans").EnumerateArray())
                {
                    yield return new TelemetrySpan(
                        resource,
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var p) && p.GetString() is { Length: > 0 } parent ? parent : null,
                        span.GetProperty("name").GetString()!,
                        FromUnixNanos(span.GetProperty("startTimeUnixNano")),
                        FromUnixNanos(span.GetProperty("endTimeUnixNano")),
                        Attributes(span))
                    { Instance = instance };
                }
            }
        }
    }

    public static IEnumerable<TelemetryLog> ReadLogs(JsonElement root)
    {
        var data = root.TryGetProperty("data", out var d) ? d : root;
        if (!data.TryGetProperty("resourceLogs", out var resourceLogs)) yield break;
        foreach (var rl in resourceLogs.EnumerateArray())
        {
            var resource = ResourceName(rl);
            foreach (var sl in rl.GetProperty("scopeLogs").EnumerateArray())
            {
                var category = sl.TryGetProperty("scope", out var scope) && scope.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var record in sl.GetProperty("logRecords").EnumerateArray())
                {
                    var body = record.TryGetProperty("body", out var b) && b.TryGetProperty("stringValue", out var text) ? text.GetString() ?? "" : "";
                    var attributes = Attributes(record);
                    var exception = attributes.TryGetValue("exception.type", out var type)
                        ? $"{type}: {attributes.GetValueOrDefault("exception.message", "")}"
                        : null;
                    yield return new TelemetryLog(
                        resource,
                        FromUnixNanos(record.GetProperty("timeUnixNano")),
                        record.TryGetProperty("severityText", out var severity) ? severity.GetString() ?? "" : "",
                        category,
                        body,
                        record.TryGetProperty("traceId", out var trace) && trace.GetString() is { Length: > 0 } traceId ? traceId : null,
                        exception);
                }
            }
        }
    }

    private static string ResourceName(JsonElement resourceSpans) => ResourceAttribute(resourceSpans, "service.name");

    private static string ResourceAttribute(JsonElement resourceSpans, string name) =>
        resourceSpans.TryGetProperty("resource", out var resource) ? Attributes(resource).GetValueOrDefault(name, "") : "";

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var result = new Dictionary<string, string>();
        if (!owner.TryGetProperty("attributes", out var attributes)) return result;
        foreach (var attribute in attributes.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            var text = value.EnumerateObject().FirstOrDefault().Value;
            result[attribute.GetProperty("key").GetString()!] = text.ValueKind == JsonValueKind.String ? text.GetString()! : text.GetRawText();
        }
        return result;
    }

    // OTLP JSON encodes 64-bit integers as strings.
    private static DateTimeOffset FromUnixNanos(JsonElement value)
    {
        var nanos = value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!) : value.GetInt64();
        return DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
    }
}
