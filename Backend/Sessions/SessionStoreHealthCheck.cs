using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AspireResilience.Backend.Sessions;

/// <summary>
/// <c>/health</c>'s view of the session store: Unhealthy at once while the Redis connection is
/// down (no PING queued behind the reconnect to wait out the command timeout), otherwise
/// Healthy when a PING answers within <see cref="PingTimeout"/>. It replaces the Redis client's
/// own check, which waits the whole command timeout (5 s) before it says Unhealthy.
/// </summary>
public sealed class SessionStoreHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "session-store";

    /// <summary>How long a PING may take while connected before the store counts as unhealthy.</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("The session store (Redis) is not connected.");
        }
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(PingTimeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (RedisOutage.Is(ex) || ex is TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The session store (Redis) does not answer.", ex);
        }
    }
}
