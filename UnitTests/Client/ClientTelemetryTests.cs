using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class ClientTelemetryTests
{
    [TestMethod]
    public async Task ReconnectSpanCarriesItsAttributesAndTravelsInTheHello()
    {
        using var reconnect = new ClientSpanListener("client.reconnect");
        var sockets = new Queue<ScriptedServerSocket>([
            new(ScriptedSession.Welcome(resumed: false), new WebSocketException(WebSocketError.ConnectionClosedPrematurely)),
            new(ScriptedSession.Welcome(resumed: true, replayCount: 3), null)]);
        var second = sockets.Last();

        await using var session = await ScriptedSession.ConnectAsync(sockets);
        var span = await reconnect.Stopped.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual("s1", span.GetTagItem(ClientTelemetry.SessionId));
        Assert.AreEqual(true, span.GetTagItem(ClientTelemetry.SessionResumed));
        Assert.AreEqual(3L, span.GetTagItem(ClientTelemetry.SessionReplayCount));
        Assert.AreEqual(1, span.GetTagItem(ClientTelemetry.ReconnectAttempts));
        Assert.IsNotNull(span.GetTagItem(ClientTelemetry.ReconnectReason));
        Assert.IsInstanceOfType<double>(span.GetTagItem(ClientTelemetry.ReconnectDowntimeMs));
        Assert.Contains(s => s.Contains($"\"traceparent\":\"{span.Id}\""), second.Sent, "the backend's ws.connection becomes a child of this span");
    }
}
