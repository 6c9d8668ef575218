using Microsoft.Extensions.DependencyInjection;

namespace AspireResilience.AppHost.Redis;

/// <summary>
/// The dashboard's Redis restarts: with its data (Aspire's own restart: SIGTERM, the append-only
/// file is flushed and read back) and without it (stopped, its data folder emptied, started: a
/// new epoch, as after a crash with no persistence).
/// </summary>
public static class RedisDataCommands
{
    public const string RestartKeepingData = "redis-restart-keep-data";
    public const string RestartLosingData = "redis-restart-lose-data";

    // redis-server stops within a second of SIGTERM (an AOF fsync); a stop that takes longer is
    // reported as a failure rather than left spinning on the dashboard.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    public static IResourceBuilder<RedisServerResource> WithDataCommands(this IResourceBuilder<RedisServerResource> redis)
    {
        redis.WithCommand(RestartKeepingData, "Restart (keep data)",
            context => RestartAsync(context, redis.Resource.Name, wipe: null),
            new CommandOptions { Description = "SIGTERM, then start again: the append-only file brings every session back.", IconName = "ArrowClockwise" });
        redis.WithCommand(RestartLosingData, "Restart (lose data)",
            context => RestartAsync(context, redis.Resource.Name, wipe: redis.Resource.DataDirectory),
            new CommandOptions
            {
                Description = "Stop, empty the data folder, start: sessions are gone and clients hear resumed:false, reason epoch.",
                IconName = "DeleteDismiss",
                ConfirmationMessage = "Every session, queued event and refresh token in Redis is lost. Go on?",
            });
        return redis;
    }

    private static async Task<ExecuteCommandResult> RestartAsync(ExecuteCommandContext context, string resource, string? wipe)
    {
        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        var stop = await commands.ExecuteCommandAsync(context.ResourceName, KnownResourceCommands.StopCommand, context.CancellationToken);
        if (!stop.Success) return stop;
        using (var stopWait = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken))
        {
            stopWait.CancelAfter(StopTimeout);
            try
            {
                await notifications.WaitForResourceAsync(resource,
                    e => e.ResourceId == context.ResourceName && e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
                    stopWait.Token);
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
                var state = notifications.TryGetCurrentState(context.ResourceName, out var current) ? current.Snapshot.State?.Text : null;
                return CommandResults.Failure(
                    $"{context.ResourceName} did not stop within {StopTimeout.TotalSeconds:0} s of the stop command (state: {state ?? "unknown"}); its console log says why.");
            }
        }
        if (wipe is not null)
        {
            var data = new DirectoryInfo(wipe);
            foreach (var entry in data.EnumerateDirectories()) entry.Delete(recursive: true);
            foreach (var entry in data.EnumerateFiles()) entry.Delete();
        }
        return await commands.ExecuteCommandAsync(context.ResourceName, KnownResourceCommands.StartCommand, context.CancellationToken);
    }
}
