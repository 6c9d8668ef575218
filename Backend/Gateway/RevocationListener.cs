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

    public Task StartAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnRevocation(message));

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().UnsubscribeAsync(Channel);

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

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Ignored a malformed revocation message")]
    private static partial void LogBadRevocation(ILogger logger);
}
