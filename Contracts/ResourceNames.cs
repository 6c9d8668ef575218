namespace AspireResilience.Contracts;

/// <summary>
/// The AppHost's resource names. The AppHost declares its resources with them; tests,
/// benchmarks and the dashboard's telemetry filters find the resources by them.
/// </summary>
public static class ResourceNames
{
    /// <summary>The session store (the machine's <c>redis-server</c>, or the Redis container).</summary>
    public const string Redis = "redis";

    /// <summary>The token service.</summary>
    public const string Auth = "authservice";

    /// <summary>The WebSocket gateway.</summary>
    public const string Backend = "backend";

    /// <summary>The fault-injection proxy.</summary>
    public const string Chaos = "chaosproxy";
}
