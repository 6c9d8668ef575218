using System.Text.Json;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Listens to the AuthService's revocations (Redis pub/sub <c>auth:revocations</c>) and closes
/// the affected live sockets with 4003 within moments.
/// </summary>
public sealed partial class RevocationListener(IConnectionMultiplexer redis, ConnectionRegistry registry, ILogger<RevocationListener> logger)
    : IHostedService
{
    public const string Channel = "auth:revocations";

    public Task StartAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => OnRevocation(message));

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().UnsubscribeAsync(RedisChannel.Literal(Channel));

    private void OnRevocation(RedisValue message)
    {
        Revocation? revocation;
        try
        {
            revocation = JsonSerializer.Deserialize<Revocation>(message.ToString(), JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            LogBadRevocation(logger);
            return;
        }
        if (revocation is null) return;
        foreach (var connection in registry.All)
        {
            _ = connection.OnRevokedAsync(revocation.FamilyId, revocation.Jti);
        }
    }

    private sealed record Revocation(string? FamilyId, string? Jti, string? Sub);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Ignored a malformed revocation message")]
    private static partial void LogBadRevocation(ILogger logger);
}
