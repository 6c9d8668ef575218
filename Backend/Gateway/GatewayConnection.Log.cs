using System.Net.WebSockets;

namespace AspireResilience.Backend.Gateway;

public sealed partial class GatewayConnection
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connection {ConnectionId} closing with {Code}: {Reason}")]
    private static partial void LogClosing(ILogger logger, string connectionId, int code, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Connection {ConnectionId} socket failed: {Error}")]
    private static partial void LogSocketFailed(ILogger logger, string connectionId, WebSocketError error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: session store unavailable ({Error})")]
    internal static partial void LogRedisUnavailable(ILogger logger, string connectionId, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Connection {ConnectionId} failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Connection {ConnectionId}: no answer to the heartbeat, {SilenceMs} ms after the peer's last frame; detached")]
    private static partial void LogHeartbeatTimedOut(ILogger logger, string connectionId, long silenceMs);
}
