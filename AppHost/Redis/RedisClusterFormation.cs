using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireResilience.AppHost.Redis;

/// <summary>
/// The cluster's init step: once every node answers PING, <c>redis-cli --cluster create</c>
/// assigns the 16384 slots to the first third of the nodes and makes each other node a
/// replica. The password reaches redis-cli in its environment (<c>REDISCLI_AUTH</c>), never on
/// its command line. The cluster is reported Running when the command succeeds; its health check
/// then waits for <c>cluster_state:ok</c> on every node.
/// </summary>
internal static partial class RedisClusterFormation
{
    public static async Task FormAsync(RedisClusterResource cluster, string cli, string password,
        ResourceNotificationService notifications, ILogger logger, IServiceProvider services)
    {
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await notifications.PublishUpdateAsync(cluster, s => s with { State = KnownResourceStates.Waiting });
            foreach (var node in cluster.Nodes)
            {
                await notifications.WaitForResourceHealthyAsync(node.Name, stopping);
            }
            await notifications.PublishUpdateAsync(cluster, s => s with { State = new("Forming", KnownResourceStateStyles.Info) });
            var started = Stopwatch.GetTimestamp();
            var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("--cluster");
            start.ArgumentList.Add("create");
            foreach (var node in cluster.Nodes) start.ArgumentList.Add($"{node.Endpoint.Host}:{node.Endpoint.Port}");
            start.ArgumentList.Add("--cluster-replicas");
            start.ArgumentList.Add("1");
            start.ArgumentList.Add("--cluster-yes");
            start.Environment["REDISCLI_AUTH"] = password;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
            var output = process.StandardOutput.ReadToEndAsync(stopping);
            var errors = process.StandardError.ReadToEndAsync(stopping);
            await process.WaitForExitAsync(stopping);
            if (process.ExitCode != 0 || !(await output).Contains("All 16384 slots covered", StringComparison.Ordinal))
            {
                LogFormationFailed(logger, process.ExitCode, (await output) + (await errors));
                await notifications.PublishUpdateAsync(cluster, s => s with { State = KnownResourceStates.FailedToStart });
                return;
            }
            LogFormed(logger, cluster.Nodes.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await notifications.PublishUpdateAsync(cluster, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost stopped before the cluster formed.
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Redis Cluster formed from {Nodes} nodes in {ElapsedMs} ms")]
    private static partial void LogFormed(ILogger logger, int nodes, long elapsedMs);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "redis-cli --cluster create exited {ExitCode}: {Output}")]
    private static partial void LogFormationFailed(ILogger logger, int exitCode, string output);
}
