using System.Net.Sockets;
using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class EndpointRotationTests
{
    private static readonly Uri A = new("ws://a/ws"), B = new("ws://b/ws"), C = new("ws://c/ws");

    [TestMethod]
    public void ARefusalMovesToTheNextAddressAndTriesItAtOnceUntilAllRefused()
    {
        var rotation = new EndpointRotation(A, [B, C]);

        Assert.AreEqual(A, rotation.Current);
        Assert.IsTrue(rotation.Refused(), "B has not refused yet");
        Assert.AreEqual(B, rotation.Current);
        Assert.IsTrue(rotation.Refused(), "C has not refused yet");
        Assert.AreEqual(C, rotation.Current);
        Assert.IsFalse(rotation.Refused(), "every address refused in a row: back off");
        Assert.AreEqual(A, rotation.Current);
    }

    [TestMethod]
    public void AnAcceptedConnectionStartsTheCountAgain()
    {
        var rotation = new EndpointRotation(A, [B]);
        Assert.IsTrue(rotation.Refused());
        rotation.Accepted();

        Assert.IsTrue(rotation.Refused(), "B accepted since A refused: A is worth one immediate try");
        Assert.AreEqual(A, rotation.Current);
    }

    [TestMethod]
    public void WithOneAddressARefusalAlwaysBacksOff()
    {
        var rotation = new EndpointRotation(A, []);

        Assert.IsFalse(rotation.Refused());
        Assert.AreEqual(A, rotation.Current);
    }

    [TestMethod]
    public void RefusalIsFoundInsideTheExceptionsAClientWebSocketThrows()
    {
        var refused = new WebSocketException("Unable to connect", new HttpRequestException("connect", new SocketException((int)SocketError.ConnectionRefused)));
        var reset = new WebSocketException("reset", new SocketException((int)SocketError.ConnectionReset));

        Assert.IsTrue(EndpointRotation.IsRefusal(refused));
        Assert.IsFalse(EndpointRotation.IsRefusal(reset));
        Assert.IsFalse(EndpointRotation.IsRefusal(new TimeoutException()));
    }
}
