using System.Text;
using AspireResilience.Backend.Gateway;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class HelloFrameTests
{
    [TestMethod]
    public void ValidHelloIsAccepted()
    {
        var first = HelloFrame.From(Text("""{"type":"hello","token":"t","sessionId":"s1","lastSeq":3}"""));

        Assert.AreEqual(new HelloMessage("t", "s1", 3), first.Hello);
    }

    [TestMethod]
    [DataRow("""{"type":"ping","t":1}""")]
    [DataRow("""{"type":"hello"}""")]
    [DataRow("not json")]
    public void AnythingButAValidHelloIs4400(string json)
    {
        var first = HelloFrame.From(Text(json));

        Assert.IsNull(first.Hello);
        Assert.AreEqual(CloseCodes.MalformedHello, first.CloseCode);
    }

    [TestMethod]
    public void FrameOfTheWrongShapeKeepsItsCloseCode() =>
        Assert.AreEqual(CloseCodes.TooBig, HelloFrame.From(Frame.Reject(CloseCodes.TooBig)).CloseCode);

    [TestMethod]
    public void PeerThatHangsUpIsAnsweredNormally() =>
        Assert.AreEqual(CloseCodes.Normal, HelloFrame.From(Frame.Closed).CloseCode);

    private static Frame Text(string json) => new(Encoding.UTF8.GetBytes(json), null, false);
}
