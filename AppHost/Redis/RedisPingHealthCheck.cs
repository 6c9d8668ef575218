using System.Net.Sockets;
using System.Text;
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
            using var client = new TcpClient();
            await client.ConnectAsync(redis.Endpoint.Host, redis.Endpoint.Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.UTF8.GetBytes(Command("AUTH", password) + Command("PING")), cancellationToken);
            var replies = await ReadLinesAsync(stream, count: 2, cancellationToken);
            return replies is ["+OK", "+PONG"]
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"Redis answered {string.Join(" ", replies.Select(r => r.Split(' ')[0]))}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Redis is not reachable.", ex);
        }
    }

    /// <summary>A RESP array of bulk strings: safe for any password.</summary>
    private static string Command(params string[] parts) =>
        $"*{parts.Length}\r\n" + string.Concat(parts.Select(p => $"${Encoding.UTF8.GetByteCount(p)}\r\n{p}\r\n"));

    // Simple-string and error replies are one line each; the two may arrive in one read or two.
    private static async Task<string[]> ReadLinesAsync(NetworkStream stream, int count, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        while (text.ToString().Split("\r\n").Length <= count)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return [.. text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Take(count)];
    }
}
