using AspireResilience.TestSupport.Reports;

[assembly: DoNotParallelize] // 2 cores, real processes, timings read from spans: one test at a time.

namespace AspireResilience.E2ETests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static async Task StopAndReportAsync(TestContext context)
    {
        await Environments.StopAllAsync();
        context.WriteLine($"Resilience report: {ResilienceReport.Write()}");
    }
}
