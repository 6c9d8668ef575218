using AspireResilience.TestSupport.Reports;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>Recovery budgets (DESIGN.md §10): each measured timing goes into the report and must stay under its ceiling.</summary>
public static class Budget
{
    /// <summary>Records <paramref name="measured"/> in the resilience report and asserts it is under <paramref name="budget"/>.</summary>
    public static void AssertWithin(string scenario, TimeSpan measured, TimeSpan budget, string source)
    {
        var within = ResilienceReport.Add(scenario, measured, budget, source);
        Assert.IsTrue(within, $"{scenario}: {measured.TotalMilliseconds:F0} ms exceeds the budget of {budget.TotalMilliseconds:F0} ms ({source})");
    }
}
