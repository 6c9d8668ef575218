using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace AspireResilience.ServiceDefaults.Telemetry;

/// <summary>Which requests the ASP.NET Core server spans leave out.</summary>
public sealed class HttpServerTracingOptions
{
    /// <summary>
    /// Paths (and everything below them) that make no HTTP server span: health probes, which
    /// would drown the traces a person or a test reads, and endpoints a service traces itself
    /// (the Backend's WebSocket endpoint, whose upgrade request lasts the whole connection).
    /// Defaults to <c>/health</c> and <c>/alive</c>.
    /// </summary>
    public List<PathString> ExcludedPaths { get; } = [Extensions.HealthEndpointPath, Extensions.AlivenessEndpointPath];

    public bool IsTraced(PathString path) => !ExcludedPaths.Any(path.StartsWithSegments);
}
