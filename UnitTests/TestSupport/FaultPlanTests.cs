using AspireResilience.TestSupport.Soak;

namespace AspireResilience.UnitTests.TestSupport;

[TestClass]
public sealed class FaultPlanTests
{
    private static readonly FaultTimings Timings = new();

    [TestMethod]
    public void TheSameSeedPlansTheSameFaults()
    {
        CollectionAssert.AreEqual(FaultPlan.For(42, Timings).Take(50).ToArray(), FaultPlan.For(42, Timings).Take(50).ToArray());
        CollectionAssert.AreNotEqual(FaultPlan.For(42, Timings).Take(50).ToArray(), FaultPlan.For(43, Timings).Take(50).ToArray());
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(123456)]
    public void EveryRoundHoldsEveryKindOnce(int seed)
    {
        var kinds = Enum.GetValues<FaultKind>();
        var plan = FaultPlan.For(seed, Timings).Take(kinds.Length * 3).ToArray();

        for (var round = 0; round < 3; round++)
        {
            CollectionAssert.AreEquivalent(kinds, plan.Skip(round * kinds.Length).Take(kinds.Length).Select(f => f.Kind).ToArray());
        }
        CollectionAssert.AreEqual(Enumerable.Range(1, plan.Length).ToArray(), plan.Select(f => f.Number).ToArray());
    }

    [TestMethod]
    public void GapsAndHoldsStayWithinTheirBounds()
    {
        foreach (var fault in FaultPlan.For(9, Timings).Take(200))
        {
            Assert.IsTrue(fault.Gap >= Timings.MinGap && fault.Gap <= Timings.MaxGap, $"gap {fault.Gap}");
            Assert.IsTrue(fault.Hold >= Timings.MinHold && fault.Hold <= Timings.MaxHold, $"hold {fault.Hold}");
            Assert.IsGreaterThanOrEqualTo(0, fault.Target);
        }
    }
}
