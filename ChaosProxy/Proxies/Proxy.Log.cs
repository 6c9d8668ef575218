using System.Net.Sockets;

namespace AspireResilience.ChaosProxy.Proxies;

internal sealed partial class Proxy
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Proxy {Proxy} listening on {Listen}, forwarding to {Upstream}")]
    private static partial void LogListening(ILogger logger, string proxy, string listen, string upstream);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Proxy {Proxy} stopped listening: {Reason}")]
    private static partial void LogStopped(ILogger logger, string proxy, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Proxy {Proxy} now forwards to {Upstream}")]
    private static partial void LogUpstreamChanged(ILogger logger, string proxy, string upstream);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Proxy {Proxy} toxic {Toxic} set: {Type} on {Stream}, toxicity {Toxicity}")]
    private static partial void LogToxicAdded(ILogger logger, string proxy, string toxic, string type, string stream, double toxicity);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Proxy {Proxy} toxic {Toxic} removed")]
    private static partial void LogToxicRemoved(ILogger logger, string proxy, string toxic);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Proxy {Proxy} accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string proxy, SocketError error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Proxy {Proxy} cannot listen on {Listen}: {Error}")]
    private static partial void LogListenFailed(ILogger logger, string proxy, string listen, SocketError error);
}
