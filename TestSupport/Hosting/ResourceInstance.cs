using Aspire.Hosting;

namespace AspireResilience.TestSupport.Hosting;

/// <summary>
/// One running instance of a service (the only one, or one replica): its Aspire id, the name its
/// telemetry goes by in the dashboard, and its own HTTP address (not DCP's shared proxy).
/// </summary>
/// <param name="Resource">The model name, e.g. <c>backend</c>.</param>
/// <param name="Id">The instance id, e.g. <c>backend-abcd1234</c>: what commands and faults take.</param>
/// <param name="TelemetryName">The dashboard's name for its telemetry: <c>{service.name}-{service.instance.id}</c>.</param>
/// <param name="Address">Its own HTTP address (from <c>ASPNETCORE_URLS</c>), to reach this instance and no other.</param>
public sealed record ResourceInstance(string Resource, string Id, string TelemetryName, Uri Address)
{
    /// <summary>Reads the instance from its current snapshot.</summary>
    public static ResourceInstance Read(DistributedApplication app, string resource, string id)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(id, out var state))
            throw new InvalidOperationException($"no state for '{id}'");
        var environment = state.Snapshot.EnvironmentVariables.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        var serviceName = environment.GetValueOrDefault("OTEL_SERVICE_NAME") ?? resource;
        var instanceId = (environment.GetValueOrDefault("OTEL_RESOURCE_ATTRIBUTES") ?? "").Split(',')
            .Select(a => a.Split('=', 2)).FirstOrDefault(a => a is ["service.instance.id", _])?[1]
            ?? throw new InvalidOperationException($"'{id}' has no service.instance.id in OTEL_RESOURCE_ATTRIBUTES");
        var urls = environment.GetValueOrDefault("ASPNETCORE_URLS")
            ?? throw new InvalidOperationException($"'{id}' has no ASPNETCORE_URLS");
        return new ResourceInstance(resource, id, $"{serviceName}-{instanceId}", new Uri(urls.Split(';')[0]));
    }
}
