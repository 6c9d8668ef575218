using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class ResilientSessionTests
{
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
        var sockets = new Queue<ScriptedServerSocket>([new(ScriptedSession.Welcome(resumed: false), failure), new(ScriptedSession.Welcome(resumed: true), null)]);
        var second = sockets.Last();
        await using var session = await ScriptedSession.ConnectAsync(sockets);

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
