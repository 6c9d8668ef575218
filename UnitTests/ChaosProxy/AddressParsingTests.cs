using AspireResilience.ChaosProxy.Proxies;

namespace AspireResilience.UnitTests.ChaosProxy;

[TestClass]
public sealed class AddressParsingTests
{
    [TestMethod]
    [DataRow("127.0.0.1:0", "127.0.0.1:0")]
    [DataRow("localhost:5123", "127.0.0.1:5123")]
    [DataRow("5123", "127.0.0.1:5123")]
    [DataRow("[::1]:5123", "[::1]:5123")]
    [DataRow("127.0.0.2:80", "127.0.0.2:80")]
    public void ListenAcceptsIpAndPortLocalhostOrABarePort(string text, string expected)
    {
        Assert.IsTrue(ListenAddress.TryParse(text, out var endPoint, out var error), error);
        Assert.AreEqual(expected, endPoint.ToString());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("example.com:80")]
    [DataRow("127.0.0.1:99999")]
    [DataRow("0.0.0.0:80")]
    [DataRow("[::]:80")]
    [DataRow("192.168.1.10:80")]
    public void ListenRejectsAnythingButALoopbackIpAndPort(string text) => Assert.IsFalse(ListenAddress.TryParse(text, out _, out _));

    [TestMethod]
    [DataRow("localhost:5000", "localhost", 5000)]
    [DataRow("backend.internal:443", "backend.internal", 443)]
    [DataRow("[::1]:6379", "::1", 6379)]
    public void UpstreamAcceptsAHostNameOrAnAddressWithAPort(string text, string host, int port)
    {
        Assert.IsTrue(HostPort.TryParse(text, out var value, out var error), error);
        Assert.AreEqual(new HostPort(host, port), value);
        Assert.AreEqual(text, value.ToString());
    }

    [TestMethod]
    [DataRow("localhost")]
    [DataRow("localhost:0")]
    [DataRow(":80")]
    [DataRow("a:b:80")]
    public void UpstreamRejectsAMissingHostOrPort(string text) => Assert.IsFalse(HostPort.TryParse(text, out _, out _));
}
