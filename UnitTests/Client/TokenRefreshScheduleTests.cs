using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class TokenRefreshScheduleTests
{
    private static readonly DateTimeOffset Learned = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [TestMethod]
    [DataRow(300, 30, 270, DisplayName = "a 5 min token: the lead before expiry")]
    [DataRow(60, 30, 30, DisplayName = "twice the lead: exactly the lead")]
    [DataRow(2, 30, 1, DisplayName = "a 2 s token: half its life, not at once")]
    [DataRow(10, 0, 10, DisplayName = "no lead: at expiry")]
    public void RefreshesTheLeadBeforeExpiryButNeverInTheFirstHalfOfTheRemainingLife(int lifetimeSeconds, int leadSeconds, int refreshAfterSeconds)
    {
        var at = TokenRefreshSchedule.RefreshAt(Learned, Learned.AddSeconds(lifetimeSeconds), TimeSpan.FromSeconds(leadSeconds));

        Assert.AreEqual(Learned.AddSeconds(refreshAfterSeconds), at);
    }

    [TestMethod]
    public void AnExpiredTokenIsDueAtOnce()
    {
        var at = TokenRefreshSchedule.RefreshAt(Learned, Learned.AddSeconds(-1), TimeSpan.FromSeconds(30));

        Assert.AreEqual(Learned, at);
    }
}
