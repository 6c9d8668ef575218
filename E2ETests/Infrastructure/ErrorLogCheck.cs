namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// Fails a test when a service logged an error it did not provoke on purpose: the services'
/// structured logs are read from the dashboard, and each test names the errors its fault
/// injection is expected to cause.
/// </summary>
public static class ErrorLogCheck
{
    private static readonly string[] Services = [TestEnvironment.Backend, TestEnvironment.Auth, TestEnvironment.Chaos];

    public static async Task EnsureNoUnexpectedErrorsAsync(this TestEnvironment env, DateTimeOffset since, params string[] allowedFragments)
    {
        var unexpected = new List<TelemetryLog>();
        foreach (var service in Services)
        {
            var errors = await env.Traces.GetErrorLogsAsync(service, since, Timeouts.Token());
            unexpected.AddRange(errors.Where(e => !allowedFragments.Any(a =>
                e.Message.Contains(a, StringComparison.OrdinalIgnoreCase) || e.Category.Contains(a, StringComparison.OrdinalIgnoreCase))));
        }
        Assert.IsEmpty(unexpected, "unexpected errors logged: " + string.Join(" | ", unexpected.Select(e => $"{e.Resource} {e.Category}: {e.Message}")));
    }
}
