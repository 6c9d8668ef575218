using AspireResilience.Backend.Sessions;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// A connection's ear on its session's channel. It must be subscribed before the welcome is
/// sent, so no append or takeover after the welcome goes unnoticed. The callbacks run on a
/// Redis thread: they must not block.
/// </summary>
public sealed class SessionSubscription : IAsyncDisposable
{
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly string _connectionId;
    private readonly Action _onEventAppended;
    private readonly Action _onSuperseded;
    private readonly Action<RedisChannel, RedisValue> _handler;

    private SessionSubscription(ISubscriber subscriber, string sessionId, string connectionId, Action onEventAppended, Action onSuperseded)
    {
        _subscriber = subscriber;
        _channel = RedisChannel.Sharded(SessionKeys.Channel(sessionId));
        _connectionId = connectionId;
        _onEventAppended = onEventAppended;
        _onSuperseded = onSuperseded;
        _handler = (_, message) => OnMessage(message);
    }

    /// <param name="onEventAppended">An event was appended to the outbox (by any process).</param>
    /// <param name="onSuperseded">Another connection attached to the session; this one must go (4000).</param>
    public static async Task<SessionSubscription> SubscribeAsync(
        ISubscriber subscriber, string sessionId, string connectionId, Action onEventAppended, Action onSuperseded)
    {
        var subscription = new SessionSubscription(subscriber, sessionId, connectionId, onEventAppended, onSuperseded);
        await subscriber.SubscribeAsync(subscription._channel, subscription._handler);
        return subscription;
    }

    /// <summary>Removes this connection's handler only; other connections of this process keep theirs.</summary>
    public async ValueTask DisposeAsync() => await _subscriber.UnsubscribeAsync(_channel, _handler);

    private void OnMessage(RedisValue message)
    {
        switch (SessionNotification.Parse(message.ToString()))
        {
            case { Kind: SessionNotificationKind.EventAppended }:
                _onEventAppended();
                break;
            // Our own attach is announced on the same channel: only someone else's supersedes us.
            case { Kind: SessionNotificationKind.Attached } attached when attached.Value != _connectionId:
                _onSuperseded();
                break;
        }
    }
}
