using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.AppHost.Redis;

/// <summary>
/// Healthy when Redis answers PING with PONG — not while it is still loading its append-only
/// file (it answers LOADING then), so dependants start only once the data is back.
/// </summary>
internal sealed class RedisPingHealthCheck(IResourceWithConnectionString redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var address = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "";
            var colon = address.LastIndexOf(':');
            using var client = new TcpClient();
            await client.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..]), cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Redis answered {reply.Trim()}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or FormatException or ArgumentOutOfRangeException)
        {
            return HealthCheckResult.Unhealthy("Redis is not reachable.", ex);
        }
    }
}
