namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// Base of every E2E class: after each test, no service may have logged an error the test did
/// not expect (<see cref="AllowedErrors"/> names the ones its faults provoke on purpose).
/// </summary>
public abstract class SuiteTest
{
    private DateTimeOffset _started;

    protected abstract TestEnvironment Environment { get; }

    /// <summary>Fragments of error messages or categories this class provokes on purpose.</summary>
    protected virtual string[] AllowedErrors => [];

    [TestInitialize]
    public void RememberStart() => _started = DateTimeOffset.UtcNow;

    [TestCleanup]
    public async Task CleanUpAsync()
    {
        // Faults a test injected through ChaosProxy must not leak into the next test.
        await Environment.ChaosProxy.ResetAsync(Timeouts.Token());
        await Environment.EnsureNoUnexpectedErrorsAsync(_started, AllowedErrors);
    }
}
