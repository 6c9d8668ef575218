namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// Base of every E2E class: after each test, no service may have logged an error the test did
/// not announce with <see cref="ExpectErrors"/> (the errors its faults provoke on purpose).
/// </summary>
public abstract class SuiteTest
{
    private readonly List<string> _expectedErrors = [];
    private DateTimeOffset _started;

    protected abstract TestEnvironment Environment { get; }

    /// <summary>Announces errors this test provokes on purpose: fragments of their message or category.</summary>
    protected void ExpectErrors(params string[] fragments) => _expectedErrors.AddRange(fragments);

    [TestInitialize]
    public void RememberStart()
    {
        _started = DateTimeOffset.UtcNow;
        _expectedErrors.Clear();
    }

    [TestCleanup]
    public async Task CleanUpAsync()
    {
        // Faults a test injected through ChaosProxy must not leak into the next test.
        await Environment.ChaosProxy.ResetAsync(Timeouts.Token());
        await Environment.EnsureNoUnexpectedErrorsAsync(_started, [.. _expectedErrors]);
    }
}
