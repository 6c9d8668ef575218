using AspireResilience.E2ETests.Suite05_BackendRestart;
using AspireResilience.TestSupport.Reports;

namespace AspireResilience.E2ETests.Soak;

/// <summary>
/// The chaos soak (issue 14): 50 clients hold sessions and talk for two minutes while a seeded
/// scheduler kills, restarts and cuts everything in turn (<see cref="FaultKind"/>); then every
/// client's history goes through <see cref="DeliveryChecker"/>. The summary (seed included, to
/// replay a failure) goes to <c>artifacts/soak-summary.md</c>, linked from the resilience report.
/// </summary>
[TestClass]
[TestCategory("Soak")]
public sealed class ChaosSoakTests : E2ETest<SoakEnvironment>
{
    /// <summary>Kinds of fault a run must have injected at least (issue 14's "done when").</summary>
    private const int MinFaultKinds = 6;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ManyClientsThroughRandomFaultsLoseNothingAndDuplicateNothing()
    {
        // A Redis restart makes the services log its outage at Error level, on purpose (Suite05's list);
        // nothing else the faults do may log an error.
        ExpectErrors(RedisRestartTests.OutageErrors);
        var options = SoakRunSettings.FromEnvironment();
        var result = await SoakRunner.RunAsync(Env, options, TestContext.WriteLine, Timeouts.Token(options.Duration * 4));

        var summary = RepositoryRoot.Artifact("soak-summary.md");
        await File.WriteAllTextAsync(summary, SoakSummary.Render(result));
        ResilienceReport.AddLink($"Chaos soak summary (seed {options.Seed})", "soak-summary.md");
        TestContext.AddResultFile(summary);
        TestContext.WriteLine($"soak summary: {summary}");
        var dumped = SoakHistoryDump.Write(result, Path.Combine(Path.GetDirectoryName(summary)!, "soak-histories"));
        if (dumped > 0) TestContext.WriteLine($"histories of {dumped} faulted clients in artifacts/soak-histories/");

        var verdict = result.Verdict;
        Assert.IsTrue(verdict.Passed, $"seed {options.Seed}: {verdict.Violations.Count} violations, e.g.\n" + string.Join('\n', verdict.Violations.Take(20)));
        Assert.AreEqual(0, verdict.Lost, "lost");
        Assert.AreEqual(0, verdict.Duplicated, "duplicated");
        Assert.AreEqual(options.Clients, verdict.Clients);
        Assert.IsGreaterThanOrEqualTo(options.Duration, result.FaultPhase, "the faults went on for the whole duration");
        Assert.IsGreaterThanOrEqualTo(options.MinFaults, result.Faults.Count, "faults injected");
        Assert.IsGreaterThanOrEqualTo(MinFaultKinds, result.FaultKinds, "kinds of fault injected");
    }
}
