using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [TestMethod]
    public void FirstAttemptCeilingIsTheBaseDelay() =>
        Assert.AreEqual(Base, ReconnectBackoff.NextDelay(1, Base, Max, random: 1));

    [TestMethod]
    [DataRow(1, 100)]
    [DataRow(2, 200)]
    [DataRow(3, 400)]
    [DataRow(4, 800)]
    [DataRow(5, 1600)]
    [DataRow(6, 3200)]
    public void CeilingDoublesWithEachAttempt(int attempt, int ceilingMs) =>
        Assert.AreEqual(TimeSpan.FromMilliseconds(ceilingMs), ReconnectBackoff.NextDelay(attempt, Base, Max, random: 1));

    [TestMethod]
    [DataRow(7)]
    [DataRow(8)]
    [DataRow(20)]
    public void CeilingIsCappedAtTheMaxDelay(int attempt) =>
        Assert.AreEqual(Max, ReconnectBackoff.NextDelay(attempt, Base, Max, random: 1));

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    [DataRow(50)]
    public void RandomZeroGivesNoDelay(int attempt) =>
        Assert.AreEqual(TimeSpan.Zero, ReconnectBackoff.NextDelay(attempt, Base, Max, random: 0));

    [TestMethod]
    public void RandomApproachingOneApproachesTheCeiling()
    {
        var delay = ReconnectBackoff.NextDelay(3, Base, Max, random: 0.999_999_9);

        Assert.IsLessThanOrEqualTo(TimeSpan.FromMilliseconds(400), delay);
        Assert.IsGreaterThan(TimeSpan.FromMilliseconds(399.9), delay);
    }

    [TestMethod]
    public void DelayIsTheRandomFractionOfTheCeiling() =>
        Assert.AreEqual(TimeSpan.FromMilliseconds(100), ReconnectBackoff.NextDelay(3, Base, Max, random: 0.25));

    [TestMethod]
    [DataRow(-0.5, 0)]
    [DataRow(1.5, 400)]
    public void RandomOutsideTheUnitIntervalIsClamped(double random, int expectedMs) =>
        Assert.AreEqual(TimeSpan.FromMilliseconds(expectedMs), ReconnectBackoff.NextDelay(3, Base, Max, random));

    [TestMethod]
    public void RetryAfterWinsWhenItIsLonger()
    {
        var retryAfter = TimeSpan.FromSeconds(30);

        Assert.AreEqual(retryAfter, ReconnectBackoff.NextDelay(1, Base, Max, random: 1, retryAfter));
        Assert.AreEqual(retryAfter, ReconnectBackoff.NextDelay(1, Base, Max, random: 0, retryAfter));
    }

    [TestMethod]
    public void RetryAfterIsOnlyAFloor()
    {
        var delay = ReconnectBackoff.NextDelay(6, Base, Max, random: 1, retryAfter: TimeSpan.FromMilliseconds(50));

        Assert.AreEqual(TimeSpan.FromMilliseconds(3200), delay);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    [DataRow(int.MinValue)]
    public void AttemptBelowOneThrows(int attempt) =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ReconnectBackoff.NextDelay(attempt, Base, Max, random: 0.5));

    [TestMethod]
    [DataRow(31)]
    [DataRow(32)]
    [DataRow(64)]
    [DataRow(1_025)]
    [DataRow(int.MaxValue)]
    public void HugeAttemptNumbersStayAtTheCap(int attempt)
    {
        Assert.AreEqual(Max, ReconnectBackoff.NextDelay(attempt, Base, Max, random: 1));
        Assert.AreEqual(TimeSpan.FromSeconds(2.5), ReconnectBackoff.NextDelay(attempt, Base, Max, random: 0.5));
        Assert.AreEqual(TimeSpan.FromDays(1), ReconnectBackoff.NextDelay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), random: 1));
    }

    [TestMethod]
    [DataRow(4029, "2500", 2500)]
    [DataRow(4029, "0", 0)]
    public void A4029CarriesItsRetryAfterInMilliseconds(int code, string reason, int expectedMs) =>
        Assert.AreEqual(TimeSpan.FromMilliseconds(expectedMs), ReconnectBackoff.RetryAfter(code, reason));

    [TestMethod]
    [DataRow(4029, "")]
    [DataRow(4029, "-5")]
    [DataRow(4029, "soon")]
    [DataRow(4029, "1.5")]
    [DataRow(1013, "2500")]
    [DataRow(null, "2500")]
    public void AnythingElseAsksForNoRetryAfter(int? code, string reason) =>
        Assert.IsNull(ReconnectBackoff.RetryAfter(code, reason));

    [TestMethod]
    public void TheRetryAfterIsAFloorUnderTheJitteredDelay()
    {
        var floor = TimeSpan.FromSeconds(2);
        Assert.AreEqual(floor, ReconnectBackoff.NextDelay(1, Base, Max, random: 0.5, retryAfter: floor));
        Assert.AreEqual(Max, ReconnectBackoff.NextDelay(20, Base, Max, random: 1, retryAfter: floor), "a longer jittered delay stands");
    }
}
