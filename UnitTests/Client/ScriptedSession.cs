using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

/// <summary>A <see cref="ResilientSession"/> whose sockets are scripted, one per (re)connect, without delays.</summary>
internal static class ScriptedSession
{
    public static string Welcome(bool resumed, long replayCount = 0) =>
        $$"""{"type":"welcome","sessionId":"s1","resumed":{{(resumed ? "true" : "false")}},"epoch":"e1","replayCount":{{replayCount}},"heartbeatMs":0,"tokenExpiresAt":0,"resumeWindowSec":60}""";

    public static Task<ResilientSession> ConnectAsync(Queue<ScriptedServerSocket> sockets, int maxQueuedPrompts = 32) =>
        ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = new Uri("ws://test/ws"),
            AccessTokenProvider = (_, _) => ValueTask.FromResult("token"),
            Connector = (_, _) => ValueTask.FromResult<WebSocket>(sockets.Dequeue()),
            ReconnectBaseDelay = TimeSpan.Zero,
            MaxQueuedPrompts = maxQueuedPrompts,
        }, CancellationToken.None);
}
