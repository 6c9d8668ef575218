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
    public Task EnsureNoUnexpectedErrorsAsync() => Environment.EnsureNoUnexpectedErrorsAsync(_started, AllowedErrors);
}
