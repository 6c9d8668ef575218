using System.Text;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Protocol;

/// <summary>
/// The wire format of every message: camelCase names, the <c>type</c> discriminator first,
/// absent optional fields omitted, and each message reads back as itself.
/// </summary>
[TestClass]
public sealed class ProtocolJsonTests
{
    public static IEnumerable<object[]> ClientMessages =>
    [
        [new HelloMessage("jwt"), """{"type":"hello","token":"jwt"}"""],
        [new HelloMessage("jwt", "s1", 7, "e1", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            """{"type":"hello","token":"jwt","sessionId":"s1","lastSeq":7,"epoch":"e1","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}"""],
        [new PromptMessage("p-1", "Hello \"agent\" ✓"), """{"type":"prompt","id":"p-1","text":"Hello \u0022agent\u0022 \u2713"}"""],
        [new AckMessage(42), """{"type":"ack","seq":42}"""],
        [new RefreshMessage("jwt2"), """{"type":"refresh","token":"jwt2"}"""],
        [new PingMessage(1_700_000_000_000), """{"type":"ping","t":1700000000000}"""],
    ];

    public static IEnumerable<object[]> ServerMessages =>
    [
        [new WelcomeMessage("s1", true, "e1", 3, 5000, 1_700_000_000_000, 86400),
            """{"type":"welcome","sessionId":"s1","resumed":true,"epoch":"e1","replayCount":3,"heartbeatMs":5000,"tokenExpiresAt":1700000000000,"resumeWindowSec":86400}"""],
        [new WelcomeMessage("s2", false, "e2", 0, 5000, 1, 60, ResumeFailureReasons.Gap),
            """{"type":"welcome","sessionId":"s2","resumed":false,"epoch":"e2","replayCount":0,"heartbeatMs":5000,"tokenExpiresAt":1,"resumeWindowSec":60,"reason":"gap"}"""],
        [new EventMessage(9, EventKinds.StreamChunk, 2, "chunk ", "r1"),
            """{"type":"event","seq":9,"kind":"stream.chunk","index":2,"text":"chunk ","runId":"r1"}"""],
        [new RefreshedMessage(123), """{"type":"refreshed","tokenExpiresAt":123}"""],
        [new TokenExpiringMessage(456), """{"type":"token.expiring","expiresAt":456}"""],
        [new PongMessage(789), """{"type":"pong","t":789}"""],
        [new ErrorMessage(ErrorCodes.InvalidAck, "too far", false), """{"type":"error","code":"invalid_ack","message":"too far","retryable":false}"""],
    ];

    [TestMethod]
    [DynamicData(nameof(ClientMessages))]
    public void ClientMessageRoundTripsThroughItsWireForm(ClientMessage message, string json)
    {
        var bytes = ProtocolJson.Serialize(message);

        Assert.AreEqual(json, Encoding.UTF8.GetString(bytes));
        Assert.AreEqual(message, ProtocolJson.DeserializeClient(bytes));
    }

    [TestMethod]
    [DynamicData(nameof(ServerMessages))]
    public void ServerMessageRoundTripsThroughItsWireForm(ServerMessage message, string json)
    {
        var bytes = ProtocolJson.Serialize(message);

        Assert.AreEqual(json, Encoding.UTF8.GetString(bytes));
        Assert.AreEqual(message, ProtocolJson.DeserializeServer(bytes));
    }

    [TestMethod]
    public void EventWithoutRunIdOmitsItAndRoundTrips()
    {
        // docs/protocol.md: `event` has `runId?` — a `message` event belongs to no run.
        var message = new EventMessage(1, EventKinds.Message, 0, "notice");

        var bytes = ProtocolJson.Serialize(message);

        Assert.AreEqual("""{"type":"event","seq":1,"kind":"message","index":0,"text":"notice"}""", Encoding.UTF8.GetString(bytes));
        Assert.AreEqual(message, ProtocolJson.DeserializeServer(bytes));
    }
}
