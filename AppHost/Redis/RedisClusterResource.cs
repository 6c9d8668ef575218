namespace AspireResilience.AppHost.Redis;

/// <summary>
/// A Redis Cluster of <c>redis-server</c> executables (<see cref="Nodes"/>), run mode only. It
/// has no process of its own: the AppHost forms it once every node answers and reports it
/// Running; its health check says Healthy while every node sees <c>cluster_state:ok</c>. Its
/// connection string names every node, so a client can discover the topology from any survivor.
/// </summary>
public sealed class RedisClusterResource(string name, IReadOnlyList<RedisServerResource> nodes, ParameterResource password)
    : Resource(name), IResourceWithConnectionString, IResourceWithWaitSupport
{
    /// <summary>The nodes, in the order the cluster was formed: the first third masters, the rest their replicas (as <c>redis-cli</c> assigns them).</summary>
    public IReadOnlyList<RedisServerResource> Nodes { get; } = nodes;

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression
    {
        get
        {
            var builder = new ReferenceExpressionBuilder();
            // 127.0.0.1, the address the nodes bind and announce in CLUSTER NODES and MOVED: with
            // "localhost" a client would know each node under two names and connect to it twice.
            foreach (var node in Nodes)
            {
                builder.Append($"127.0.0.1:{node.Endpoint.Property(EndpointProperty.Port)},");
            }
            builder.Append($"password={Password}");
            return builder.Build();
        }
    }
}
