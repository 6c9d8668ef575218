using System.Net;
using StackExchange.Redis;

namespace AspireResilience.E2ETests.Cluster;

/// <summary>
/// The test's own view of the cluster (a direct connection to the nodes): which node serves a
/// session, and what the surviving nodes say about a killed one. The node resources are named
/// <c>redis-node-{i}</c> (AppHost/Redis/RedisClusterExtensions).
/// </summary>
internal sealed class ClusterNodes(TestEnvironment env, ConnectionMultiplexer redis, string password) : IAsyncDisposable
{
    public const int Count = 6;

    public static async Task<ClusterNodes> ConnectAsync(TestEnvironment env)
    {
        var connectionString = await env.App.GetConnectionStringAsync(ResourceNames.Redis, Timeouts.Token())
            ?? throw new InvalidOperationException("the cluster has no connection string");
        var password = connectionString.Split(',').Single(p => p.StartsWith("password=", StringComparison.Ordinal))["password=".Length..];
        return new ClusterNodes(env, await ConnectionMultiplexer.ConnectAsync(connectionString + ",abortConnect=false,allowAdmin=true"), password);
    }

    public static string Name(int node) => $"{ResourceNames.Redis}-node-{node}";

    public int Port(int node) => Port(Name(node));

    public int Port(string node) => env.App.GetEndpoint(node, "tcp").Port;

    /// <summary>The node resource that is master of the slot of <paramref name="sessionId"/> (its keys carry the id as hash tag).</summary>
    public async Task<string> MasterOfSessionAsync(string sessionId)
    {
        var endpoint = await redis.GetDatabase().IdentifyEndpointAsync($"session:{{{sessionId}}}")
            ?? throw new InvalidOperationException("no node serves the session's slot");
        return Name(Enumerable.Range(0, Count).Single(i => Port(i) == PortOf(endpoint)));
    }

    /// <summary>The hash slot of <paramref name="sessionId"/>'s keys.</summary>
    public int SlotOfSession(string sessionId) => redis.HashSlot($"session:{{{sessionId}}}");

    /// <summary>The masters, by resource name.</summary>
    public async Task<IReadOnlyList<string>> MastersAsync()
    {
        var masters = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            if (await IsMasterAsync(Name(i))) masters.Add(Name(i));
        }
        return masters;
    }

    /// <summary>
    /// Moves <paramref name="slot"/> from <paramref name="source"/> to <paramref name="target"/>
    /// the way <c>redis-cli --cluster reshard</c> does, one slot: IMPORTING on the target,
    /// MIGRATING on the source, MIGRATE its keys in batches, then SETSLOT NODE on every master.
    /// Returns how many keys moved.
    /// </summary>
    public async Task<int> MoveSlotAsync(int slot, string source, string target)
    {
        var from = Server(source);
        var to = Server(target);
        var sourceId = (string)(await from.ExecuteAsync("CLUSTER", "MYID"))!;
        var targetId = (string)(await to.ExecuteAsync("CLUSTER", "MYID"))!;
        await to.ExecuteAsync("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
        await from.ExecuteAsync("CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
        var moved = 0;
        while (true)
        {
            var keys = (RedisResult[])(await from.ExecuteAsync("CLUSTER", "GETKEYSINSLOT", slot, 100))!;
            if (keys.Length == 0) break;
            object[] migrate = ["127.0.0.1", Port(target), "", 0, 5000, "AUTH", password, "KEYS", .. keys.Select(k => (object)(string)k!)];
            await from.ExecuteAsync("MIGRATE", migrate);
            moved += keys.Length;
        }
        foreach (var master in await MastersAsync())
        {
            await Server(master).ExecuteAsync("CLUSTER", "SETSLOT", slot, "NODE", targetId);
        }
        return moved;
    }

    /// <summary>How many keys <paramref name="node"/> holds in <paramref name="slot"/>.</summary>
    public async Task<long> KeysInSlotAsync(string node, int slot) =>
        (long)(await Server(node).ExecuteAsync("CLUSTER", "COUNTKEYSINSLOT", slot));

    // The connection string names the nodes as localhost:port, CLUSTER NODES as 127.0.0.1:port: the port is what they share.
    private IServer Server(string node) => redis.GetServers().First(s => PortOf(s.EndPoint) == Port(node));

    private static int PortOf(EndPoint endpoint) => endpoint switch
    {
        IPEndPoint ip => ip.Port,
        DnsEndPoint dns => dns.Port,
        _ => throw new InvalidOperationException($"unexpected endpoint {endpoint}"),
    };

    /// <summary>The node the cluster made replica of <paramref name="master"/>.</summary>
    public async Task<string> ReplicaOfAsync(string master)
    {
        var nodes = await ClusterNodesTextAsync(master);
        var masterId = nodes.Single(n => n.Contains("myself", StringComparison.Ordinal)).Split(' ')[0];
        var replica = nodes.Single(n => n.Split(' ')[3] == masterId);
        var port = int.Parse(replica.Split(' ')[1].Split('@')[0].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        return Name(Enumerable.Range(0, Count).Single(i => Port(i) == port));
    }

    /// <summary>
    /// Stops <paramref name="master"/> taking writes (<c>CLIENT PAUSE … WRITE</c>: scripts included,
    /// replication goes on) and waits until its replica has every write it acknowledged. A kill
    /// after this loses nothing to asynchronous replication.
    /// </summary>
    public async Task PauseWritesUntilReplicatedAsync(string master, TimeSpan pause)
    {
        var server = Server(master);
        await server.ExecuteAsync("CLIENT", "PAUSE", (long)pause.TotalMilliseconds, "WRITE");
        await Poll.UntilAsync(async () =>
        {
            var info = (await server.InfoAsync("replication")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
            var offset = long.Parse(info["master_repl_offset"], System.Globalization.CultureInfo.InvariantCulture);
            // slave0: ip=…,port=…,state=online,offset=N,lag=…
            return info.TryGetValue("slave0", out var replica)
                && replica.Split(',').Single(f => f.StartsWith("offset=", StringComparison.Ordinal))["offset=".Length..] is var acked
                && long.Parse(acked, System.Globalization.CultureInfo.InvariantCulture) >= offset;
        }, $"{master}'s replica has every acknowledged write");
    }

    /// <summary>Whether <paramref name="observer"/> has flagged the node on <paramref name="port"/> as failed (<c>fail</c>, not just <c>fail?</c>).</summary>
    public async Task<bool> SeesFailedAsync(string observer, int port) =>
        (await ClusterNodesTextAsync(observer)).Any(n => n.Split(' ')[1].StartsWith($"127.0.0.1:{port}@", StringComparison.Ordinal)
            && n.Split(' ')[2].Split(',').Contains("fail"));

    /// <summary>Whether <paramref name="node"/> now says it is a master.</summary>
    public async Task<bool> IsMasterAsync(string node) =>
        (await ClusterNodesTextAsync(node)).Single(n => n.Contains("myself", StringComparison.Ordinal)).Split(' ')[2].Contains("master", StringComparison.Ordinal);

    /// <summary>The node's instance id (what Aspire's commands and notifications name), once it is healthy.</summary>
    public async Task<string> InstanceAsync(string node) =>
        (await env.App.ResourceNotifications.WaitForResourceHealthyAsync(node, Timeouts.Token())).ResourceId;

    private async Task<string[]> ClusterNodesTextAsync(string node)
    {
        var server = Server(node);
        var text = (string?)await server.ExecuteAsync("CLUSTER", "NODES") ?? "";
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public ValueTask DisposeAsync() => redis.DisposeAsync();
}
