using AspireResilience.E2ETests.Infrastructure;

[assembly: DoNotParallelize] // 2 cores, real processes: one environment at a time.

namespace AspireResilience.E2ETests;

[TestClass]
public static class AssemblyHooks
{
    [AssemblyCleanup]
    public static void WriteReport(TestContext context) =>
        context.WriteLine($"Resilience report: {ResilienceReport.Write()}");
}
