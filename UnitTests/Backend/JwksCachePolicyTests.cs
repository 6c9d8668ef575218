using AspireResilience.Backend.Auth;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class JwksCachePolicyTests
{
    private static readonly TokenValidationOptions Options = new()
    {
        JwksMinRefresh = TimeSpan.FromSeconds(1),
        JwksMaxRefresh = TimeSpan.FromMinutes(10),
    };

    [TestMethod]
    [DataRow(60, 60, DisplayName = "max-age is honoured")]
    [DataRow(0, 1, DisplayName = "max-age=0 is not a busy loop")]
    [DataRow(86_400, 600, DisplayName = "a day is cut to the maximum: a dropped key is not trusted for days")]
    public void HonoursMaxAgeWithinTheBounds(int maxAgeSeconds, int expectedSeconds)
    {
        Assert.AreEqual(TimeSpan.FromSeconds(expectedSeconds), JwksCachePolicy.RefreshAfter(TimeSpan.FromSeconds(maxAgeSeconds), Options));
    }

    [TestMethod]
    public void WithoutMaxAgeTheSetIsReadAgainAfterTheMaximum()
    {
        Assert.AreEqual(Options.JwksMaxRefresh, JwksCachePolicy.RefreshAfter(null, Options));
    }
}
