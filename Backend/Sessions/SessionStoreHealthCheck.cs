using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AspireResilience.Backend.Sessions;

/// <summary>
/// <c>/health</c>'s view of the session store: Healthy when Redis answers a PING within
/// <see cref="Timeout"/>. A reconnect shorter than that (a restart, a reset link) is waited out
/// without queuing a PING, so a blip the clients ride out does not flip the process to
/// Unhealthy; an outage does, after <see cref="Timeout"/> rather than the client's 5 s command
/// timeout the Redis client's own check waits.
/// </summary>
public sealed class SessionStoreHealthCheck(SessionStore sessions, IConnectionMultiplexer redis, TimeProvider time) : IHealthCheck
{
    public const string Name = "session-store";

    /// <summary>How long the check waits for Redis before it says Unhealthy.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        if (!await sessions.WaitUntilConnectedAsync(Timeout, cancellationToken))
        {
            return HealthCheckResult.Unhealthy("The session store (Redis) is not connected.");
        }
        try
        {
            var left = Timeout - time.GetElapsedTime(started);
            await redis.GetDatabase().PingAsync().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (RedisOutage.Is(ex) || ex is TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The session store (Redis) does not answer.", ex);
        }
    }
}
