using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace AspireResilience.AppHost.Redis;

/// <summary>
/// <c>Redis:Mode=cluster</c> (run mode only): a real Redis Cluster on loopback, three masters and
/// one replica each, every node a <c>redis-server</c> executable like the single store
/// (append-only file, owner-only data folder and config, generated password). The nodes announce
/// their own addresses in MOVED redirects, so their ports are fixed at start-up and not proxied;
/// the Backend talks to them directly (docs/architecture.md, <i>Redis Cluster</i>).
/// </summary>
public static class RedisClusterExtensions
{
    /// <summary>Masters in the cluster; each gets one replica.</summary>
    public const int Masters = 3;

    /// <summary>
    /// How long a node may be silent before its peers fail it and promote its replica:
    /// <c>Redis:ClusterNodeTimeoutMs</c>, by default 1500 ms (Redis' own default, 15 s, would
    /// make every failover case wait that long).
    /// </summary>
    public static int ClusterNodeTimeoutMs(this IDistributedApplicationBuilder builder) =>
        int.TryParse(builder.Configuration["Redis:ClusterNodeTimeoutMs"], CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 1500;

    /// <summary>Whether the AppHost runs the session store as a Redis Cluster (<c>Redis:Mode=cluster</c>).</summary>
    public static bool IsRedisCluster(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode && builder.Configuration["Redis:Mode"] == "cluster";

    internal static IResourceBuilder<IResourceWithConnectionString> AddRedisCluster(this IDistributedApplicationBuilder builder,
        string name, string server, string cli, string dataDirectory, RedisPassword password)
    {
        // A cluster is formed once per AppHost run: node ids, slots and data from an earlier run
        // name ports this run does not have. A node restarted within the run keeps both.
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        RedisServerFiles.PrepareDataDirectory(dataDirectory);

        var nodeCount = Masters * 2;
        var ports = FreeLoopbackPorts(nodeCount * 2);
        var nodes = new List<IResourceBuilder<RedisServerResource>>();
        for (var i = 0; i < nodeCount; i++)
        {
            nodes.Add(builder.AddRedisServer($"{name}-node-{i}", server, Path.Combine(dataDirectory, $"node-{i}"), password, ports[i],
            [
                "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-port", ports[nodeCount + i].ToString(CultureInfo.InvariantCulture),
                "--cluster-node-timeout", builder.ClusterNodeTimeoutMs().ToString(CultureInfo.InvariantCulture),
                // A shard that is down (before its replica takes over) must not stop the others.
                "--cluster-require-full-coverage", "no",
                // Any replica may take over, however long it was cut off: availability over the
                // last writes, which the client hears about (epoch or gap, never silence).
                "--cluster-replica-validity-factor", "0",
                // Each master keeps its own replica: the failover cases know who replaces whom.
                "--cluster-allow-replica-migration", "no",
            ]));
        }

        var cluster = new RedisClusterResource(name, [.. nodes.Select(n => n.Resource)], password.Parameter);
        var healthCheckKey = $"{name}_cluster_state";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckKey, _ => new RedisClusterHealthCheck(cluster), failureStatus: null, tags: null));
        var resource = builder.AddResource(cluster)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "RedisCluster",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithHealthCheck(healthCheckKey);
        foreach (var node in nodes) node.WithParentRelationship(resource);
        builder.Eventing.Subscribe<InitializeResourceEvent>(cluster, (e, cancellationToken) =>
        {
            // Not awaited here: the nodes start only after every resource's initialization.
            _ = RedisClusterFormation.FormAsync(cluster, cli, password.Value, e.Notifications, e.Logger, e.Services);
            return Task.CompletedTask;
        });
        return resource;
    }

    /// <summary>
    /// Ports the OS calls free now, all held until every one is chosen so none repeats. A node's
    /// client port and cluster-bus port must be known before it starts (the nodes tell each other
    /// and clients where to go); the gap until the nodes bind them is a second or two.
    /// </summary>
    private static int[] FreeLoopbackPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
