using AspireResilience.Backend.Sessions;
using AspireResilience.Contracts;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Listens to the AuthService's revocations (<see cref="RevocationContract.Channel"/>) and closes
/// the affected live sockets with 4003 within moments.
/// </summary>
public sealed partial class RevocationListener(IConnectionMultiplexer redis, ConnectionRegistry registry, ILogger<RevocationListener> logger)
    : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RevocationContract.Channel);

    /// <summary>
    /// Subscribes without holding up the host: with Redis down at start-up the SUBSCRIBE waits in
    /// the multiplexer's backlog and times out, and the host must start anyway (Unhealthy until
    /// Redis answers). The multiplexer keeps the handler and subscribes again on every reconnect.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = SubscribeAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A Redis that is not there has nothing to be told; the handler goes with the multiplexer.
        if (!redis.IsConnected) return;
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(Channel).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (RedisOutage.Is(ex) || ex is OperationCanceledException)
        {
            // Shutting down either way.
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnRevocation(message));
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            LogSubscribeDeferred(logger, ex.GetType().Name);
        }
    }

    private void OnRevocation(RedisValue message)
    {
        if (RevocationContract.Parse(message.ToString()) is not { } revocation)
        {
            LogBadRevocation(logger);
            return;
        }
        foreach (var connection in registry.All)
        {
            _ = connection.OnRevokedAsync(revocation.FamilyId, revocation.Jti);
        }
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Revocations: Redis did not take the subscription ({Error}); it is made again when Redis reconnects")]
    private static partial void LogSubscribeDeferred(ILogger logger, string error);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Ignored a malformed revocation message")]
    private static partial void LogBadRevocation(ILogger logger);
}
