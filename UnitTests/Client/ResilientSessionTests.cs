using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class ResilientSessionTests
{
    private const string Welcome = """{"type":"welcome","sessionId":"s1","resumed":false,"epoch":"e1","replayCount":0,"heartbeatMs":0,"tokenExpiresAt":0,"resumeWindowSec":60}""";
    private const string Resumed = """{"type":"welcome","sessionId":"s1","resumed":true,"epoch":"e1","replayCount":0,"heartbeatMs":0,"tokenExpiresAt":0,"resumeWindowSec":60}""";

    [TestMethod]
    [DataRow("disposed")]
    [DataRow("invalid-state")]
    [DataRow("socket")]
    public async Task AnyFailureOfTheLinkLeadsToAResumeNotASilentlyDeadSession(string kind)
    {
        Exception failure = kind switch
        {
            "disposed" => new ObjectDisposedException("socket"),
            "invalid-state" => new InvalidOperationException("aborted"),
            _ => new WebSocketException(WebSocketError.ConnectionClosedPrematurely),
        };
        var sockets = new Queue<ScriptedServerSocket>([new(Welcome, failure), new(Resumed, null)]);
        var second = sockets.Last();
        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = new Uri("ws://test/ws"),
            AccessTokenProvider = (_, _) => ValueTask.FromResult("token"),
            Connector = (_, _) => ValueTask.FromResult<WebSocket>(sockets.Dequeue()),
            ReconnectBaseDelay = TimeSpan.Zero,
        }, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<ConnectionEvent>();
        while (events.LastOrDefault() is not Welcomed { Generation: 2 })
        {
            events.Add(await session.ConnectionEvents.ReadAsync(timeout.Token));
        }

        Assert.IsInstanceOfType<Disconnected>(events[^2]);
        Assert.IsTrue(((Welcomed)events[^1]).Welcome.Resumed);
        Assert.Contains(s => s.Contains("\"sessionId\":\"s1\"") && s.Contains("\"type\":\"hello\""), second.Sent, "the reconnect resumes the same session");
    }
}
