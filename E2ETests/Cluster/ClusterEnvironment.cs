namespace AspireResilience.E2ETests.Cluster;

/// <summary>
/// The cluster cases kill Redis masters: they own their AppHost, always on a Redis Cluster
/// (whatever the run's <see cref="RedisModes.Variable"/>), with one Backend process.
/// </summary>
public sealed class ClusterEnvironment : IEnvironmentDefinition
{
    public static EnvironmentOptions Options => new() { Name = "cluster", RedisMode = RedisModes.Cluster, BackendReplicas = 1, UserPoolSize = 260 };

    public static bool Shared => false;
}
