using Aspire.Hosting.Testing;

namespace AspireResilience.TestSupport.Hosting;

/// <summary>How to start a <see cref="TestEnvironment"/>.</summary>
public sealed record EnvironmentOptions
{
    /// <summary>Names the data folder and prefixes the users, so two environments never share state.</summary>
    public required string Name { get; init; }

    /// <summary>How many users to register with the AuthService before start. Defaults to 64.</summary>
    public int UserPoolSize { get; init; } = 64;

    /// <summary>How many Backend processes to run (<c>Backend:Replicas</c>). Defaults to the AppHost's default (2).</summary>
    public int? BackendReplicas { get; init; }

    /// <summary>
    /// How the session store runs (<c>Redis:Mode</c>): null for the AppHost's default (one
    /// redis-server), <c>cluster</c> for a Redis Cluster. Defaults to <see cref="RedisModes.FromEnvironment"/>,
    /// so <c>./test.sh --redis cluster</c> runs the same suites against a cluster.
    /// </summary>
    public string? RedisMode { get; init; } = RedisModes.FromEnvironment;

    /// <summary>
    /// Changes to the model before it starts (a resource's environment, its replicas…). Aspire
    /// runs environment callbacks again at every start, so a value changed here and a restart
    /// are how a suite reconfigures a resource.
    /// </summary>
    public Action<IDistributedApplicationTestingBuilder>? Configure { get; init; }
}
