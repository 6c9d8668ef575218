using System.Diagnostics;
using AspireResilience.TestSupport.Reports;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// Recovery budgets (DESIGN.md §10): each measured timing goes into the report and must stay
/// under its ceiling. Each timing's name says what it spans: fault → detected, detected → resumed
/// (the client's <c>client.reconnect</c> span, which starts when the client notices), fault → resumed.
/// </summary>
public static class Budget
{
    /// <summary>Records <paramref name="measured"/> in the resilience report and asserts it is under <paramref name="budget"/>.</summary>
    public static void AssertWithin(string scenario, TimeSpan measured, TimeSpan budget, string source)
    {
        var within = ResilienceReport.Add(scenario, measured, budget, source);
        Assert.IsTrue(within, $"{scenario}: {measured.TotalMilliseconds:F0} ms exceeds the budget of {budget.TotalMilliseconds:F0} ms ({source})");
    }

    /// <summary>
    /// Fault → detected (the start of <paramref name="reconnect"/>) and fault → resumed (its end),
    /// from the fault's own timestamp <paramref name="faultAt"/>: a span of the fault, or the
    /// instant the test issued it (<paramref name="faultSource"/> says which).
    /// </summary>
    public static void AssertRecovery(string fault, DateTimeOffset faultAt, Activity reconnect, TimeSpan detectedBudget, TimeSpan resumedBudget, string faultSource)
    {
        var detectedAt = new DateTimeOffset(reconnect.StartTimeUtc, TimeSpan.Zero);
        var source = $"{faultSource} → client.reconnect";
        AssertWithin($"{fault}: fault → detected", detectedAt - faultAt, detectedBudget, $"{source} start");
        AssertWithin($"{fault}: fault → resumed", detectedAt + reconnect.Duration - faultAt, resumedBudget, $"{source} end");
    }
}
