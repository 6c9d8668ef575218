using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.AppHost.Redis;

/// <summary>
/// Healthy when Redis accepts the password and answers PING with PONG — not while it is still
/// loading its append-only file (it answers LOADING then), so dependants start only once the
/// data is back.
/// </summary>
internal sealed class RedisPingHealthCheck(RedisServerResource redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var password = await redis.Password.GetValueAsync(cancellationToken) ?? "";
            var answer = await RespConnection.AskAsync(redis.Endpoint.Host, redis.Endpoint.Port, password, [["PING"]],
                text => RespConnection.HasLines(text, 2), cancellationToken);
            var replies = answer.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Take(2).ToArray();
            return replies is ["+OK", "+PONG"]
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Redis answered {string.Join(" ", replies.Select(r => r.Split(' ')[0]))}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Redis is not reachable.", ex);
        }
    }
}
