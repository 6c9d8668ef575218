using System.Diagnostics;
using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class ClientTelemetryTests
{
    private const string Welcome = """{"type":"welcome","sessionId":"s1","resumed":false,"epoch":"e1","replayCount":0,"heartbeatMs":0,"tokenExpiresAt":0,"resumeWindowSec":60}""";
    private const string Resumed = """{"type":"welcome","sessionId":"s1","resumed":true,"epoch":"e1","replayCount":3,"heartbeatMs":0,"tokenExpiresAt":0,"resumeWindowSec":60}""";

    [TestMethod]
    public async Task ReconnectSpanCarriesItsAttributesAndTravelsInTheHello()
    {
        var reconnect = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClientTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.OperationName == "client.reconnect") reconnect.TrySetResult(a); },
        };
        ActivitySource.AddActivityListener(listener);
        var sockets = new Queue<ScriptedServerSocket>([new(Welcome, new WebSocketException(WebSocketError.ConnectionClosedPrematurely)), new(Resumed, null)]);
        var second = sockets.Last();

        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = new Uri("ws://test/ws"),
            AccessTokenProvider = (_, _) => ValueTask.FromResult("token"),
            Connector = (_, _) => ValueTask.FromResult<WebSocket>(sockets.Dequeue()),
            ReconnectBaseDelay = TimeSpan.Zero,
        }, CancellationToken.None);
        var span = await reconnect.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual("s1", span.GetTagItem(ClientTelemetry.SessionId));
        Assert.AreEqual(true, span.GetTagItem(ClientTelemetry.SessionResumed));
        Assert.AreEqual(3L, span.GetTagItem(ClientTelemetry.SessionReplayCount));
        Assert.AreEqual(1, span.GetTagItem(ClientTelemetry.ReconnectAttempts));
        Assert.IsNotNull(span.GetTagItem(ClientTelemetry.ReconnectReason));
        Assert.IsInstanceOfType<double>(span.GetTagItem(ClientTelemetry.ReconnectDowntimeMs));
        Assert.Contains(s => s.Contains($"\"traceparent\":\"{span.Id}\""), second.Sent, "the backend's ws.connection becomes a child of this span");
    }
}
