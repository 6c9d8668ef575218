namespace AspireResilience.TestSupport.Hosting;

/// <summary>
/// Which session store a test run starts: <c>ASPIRE_RESILIENCE_REDIS=cluster</c> (what
/// <c>./test.sh --redis cluster</c> sets) gives every environment a Redis Cluster; unset, the
/// AppHost's own default (one redis-server).
/// </summary>
public static class RedisModes
{
    public const string Cluster = "cluster";

    /// <summary>The environment variable test.sh sets.</summary>
    public const string Variable = "ASPIRE_RESILIENCE_REDIS";

    /// <summary>Test category of cases that need the single redis-server (its ChaosProxy hop, its data commands); test.sh leaves them out on a cluster.</summary>
    public const string SingleNodeCategory = "SingleRedis";

    /// <summary>Test category of cases that need a cluster (they start one whatever the run's mode); test.sh runs them only with <c>--redis cluster</c>.</summary>
    public const string ClusterCategory = "Cluster";

    public static string? FromEnvironment => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } mode ? mode : null;
}
