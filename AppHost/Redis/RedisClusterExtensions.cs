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
    /// Free loopback ports for the nodes' client and cluster-bus ports, which must be known before
    /// the nodes start (they tell each other and clients where to go). Taken at random from below
    /// the kernel's ephemeral range: a port the OS hands out for "any free port" (DCP's proxies,
    /// another AppHost's services, outgoing connections) is never one of these, so nothing else
    /// takes them in the second or two until the nodes bind them. All are held until every one
    /// is chosen, so none repeats.
    /// </summary>
    private static int[] FreeLoopbackPorts(int count)
    {
        var (low, high) = (EphemeralRangeStart() - 12_000, EphemeralRangeStart());
        var held = new List<TcpListener>();
        try
        {
            for (var attempt = 0; held.Count < count && attempt < 10_000; attempt++)
            {
                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(low, high));
                try
                {
                    listener.Start();
                    held.Add(listener);
                }
                catch (SocketException)
                {
                    // Taken: draw again.
                }
            }
            if (held.Count < count) throw new InvalidOperationException($"no {count} free loopback ports in {low}–{high - 1}");
            return [.. held.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in held) listener.Stop();
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (<c>ip_local_port_range</c>; 32768 where it cannot be read).</summary>
    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture, out var start) && start > 13_000 ? start : 32768;
    }
}
