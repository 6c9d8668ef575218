using AspireResilience.Backend.Gateway;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class OriginPolicyTests
{
    private static readonly string[] None = [];

    [TestMethod]
    // The page's own origin, from whichever address it was loaded (Backend, DCP's proxy, ChaosProxy).
    [DataRow("http://localhost:5180", "http", "localhost:5180", true, DisplayName = "same scheme, host and port")]
    [DataRow("http://LOCALHOST:5180", "http", "localhost:5180", true, DisplayName = "host names are case-insensitive")]
    [DataRow("http://127.0.0.1:41000", "http", "127.0.0.1:41000", true, DisplayName = "an address as host")]
    [DataRow("http://[::1]:41000", "http", "[::1]:41000", true, DisplayName = "an IPv6 address as host")]
    [DataRow("http://example.test", "http", "example.test:80", true, DisplayName = "the default port written or not")]
    [DataRow("https://example.test", "https", "example.test", true, DisplayName = "https without a port")]
    // Everyone else.
    [DataRow("http://localhost:1", "http", "localhost:5180", false, DisplayName = "another port of the same host is another origin")]
    [DataRow("http://evil.example", "http", "localhost:5180", false, DisplayName = "another site")]
    [DataRow("http://localhost", "http", "localhost:5180", false, DisplayName = "the default port is not the served port")]
    [DataRow("https://localhost:5180", "http", "localhost:5180", false, DisplayName = "another scheme")]
    [DataRow("http://127.0.0.1:5180", "http", "localhost:5180", false, DisplayName = "another host name for the same machine")]
    [DataRow("null", "http", "localhost:5180", false, DisplayName = "an opaque origin (sandboxed frame, file://)")]
    [DataRow("http://localhost:5180/", "http", "localhost:5180", false, DisplayName = "not an origin: a trailing slash")]
    [DataRow("http://localhost:5180/ws", "http", "localhost:5180", false, DisplayName = "not an origin: a path")]
    [DataRow("http://user@localhost:5180", "http", "localhost:5180", false, DisplayName = "not an origin: user info")]
    [DataRow("http://localhost:5180", "http", "", false, DisplayName = "a request without Host")]
    public void SameOriginIsTheRequestsOwnSchemeHostAndPort(string origin, string scheme, string host, bool allowed) =>
        Assert.AreEqual(allowed, OriginPolicy.IsAllowed(origin, scheme, host, None, allowSameOrigin: true));

    [TestMethod]
    public void WithoutOriginEveryClientIsAllowedBecauseOnlyBrowsersSendOne() =>
        Assert.IsTrue(OriginPolicy.IsAllowed("", "http", "localhost:5180", None, allowSameOrigin: false));

    [TestMethod]
    public void AListedOriginIsAllowedFromAnywhere() =>
        Assert.IsTrue(OriginPolicy.IsAllowed("https://chat.example", "http", "localhost:5180", ["https://CHAT.example"], allowSameOrigin: false));

    [TestMethod]
    public void TheSameOriginIsRefusedWhenSameOriginIsSwitchedOff() =>
        Assert.IsFalse(OriginPolicy.IsAllowed("http://localhost:5180", "http", "localhost:5180", None, allowSameOrigin: false));
}
