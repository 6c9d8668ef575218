namespace AspireResilience.ChaosProxy.Proxies;

internal sealed partial class ProxyConnection
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Proxy {Proxy} cut connection {ConnectionId} with {Kind}: {Reason}")]
    private static partial void LogConnectionCut(ILogger logger, string proxy, long connectionId, string kind, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Proxy {Proxy} reset connection {ConnectionId}: {Reason}")]
    private static partial void LogConnectionAborted(ILogger logger, string proxy, long connectionId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Proxy {Proxy} cannot reach upstream {Upstream}: {Error}")]
    private static partial void LogUpstreamUnreachable(ILogger logger, string proxy, string upstream, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Proxy {Proxy} connection {ConnectionId} failed unexpectedly")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception, string proxy, long connectionId);
}
