using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.AppHost.Redis;

/// <summary>
/// Healthy when every node answers <c>CLUSTER INFO</c> with <c>cluster_state:ok</c>: all 16384
/// slots served and each node agrees. A node that is down (killed, before its replica took over
/// and it came back) makes the cluster Unhealthy, which names the node.
/// </summary>
internal sealed class RedisClusterHealthCheck(RedisClusterResource cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var password = await cluster.Password.GetValueAsync(cancellationToken) ?? "";
        var notOk = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            try
            {
                var answer = await RespConnection.AskAsync(node.Endpoint.Host, node.Endpoint.Port, password, [["CLUSTER", "INFO"]],
                    BulkReplyComplete, cancellationToken);
                if (!answer.Contains("cluster_state:ok", StringComparison.Ordinal)) notOk.Add(node.Name);
            }
            catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
            {
                notOk.Add(node.Name);
            }
        }
        return notOk.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"cluster_state is not ok on {string.Join(", ", notOk)}");
    }

    // "+OK" for AUTH, then either an error line or a bulk string ("$<length>", the text).
    private static bool BulkReplyComplete(string text)
    {
        var lines = text.Split("\r\n");
        if (lines.Length < 3) return false;
        if (!lines[1].StartsWith('$')) return true;
        var header = text.IndexOf("\r\n$", StringComparison.Ordinal) + 2;
        var bodyStart = text.IndexOf("\r\n", header, StringComparison.Ordinal) + 2;
        return int.TryParse(lines[1].AsSpan(1), out var length) && text.Length - bodyStart >= length;
    }
}
