using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.TestSupport.Hosting;

/// <summary>Health waits that understand replicas: a resource is up when every replica is.</summary>
public static class ResourceHealth
{
    /// <summary>How many replicas the model gives <paramref name="resource"/> (1 without <c>WithReplicas</c>).</summary>
    public static int ReplicaCount(DistributedApplication app, string resource) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Single(r => r.Name == resource)
            .Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

    /// <summary>
    /// Waits until every replica of <paramref name="resource"/> reports healthy; returns their
    /// instance ids. Notifications come per replica under the model name, told apart by
    /// <see cref="ResourceEvent.ResourceId"/> (waiting on a replica's own id never completes).
    /// </summary>
    public static async Task<IReadOnlyList<string>> WaitForAllReplicasHealthyAsync(DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        var expected = ReplicaCount(app, resource);
        var healthy = new HashSet<string>(StringComparer.Ordinal);
        await app.ResourceNotifications.WaitForResourceAsync(resource, e =>
        {
            if (e.Snapshot.HealthStatus == HealthStatus.Healthy) healthy.Add(e.ResourceId);
            else healthy.Remove(e.ResourceId);
            return healthy.Count >= expected;
        }, cancellationToken);
        return [.. healthy.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Waits until <paramref name="address"/> (one instance's own, not DCP's shared proxy)
    /// answers <c>/health</c> with success. With replicas, Aspire's health check goes through the
    /// shared proxy, so "healthy" may be another replica answering while this one still starts.
    /// </summary>
    public static async Task WaitForOwnAddressAsync(Uri address, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(address, "/health"), cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}
