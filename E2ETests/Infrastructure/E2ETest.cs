namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// Base of every E2E class: runs it against <typeparamref name="TEnvironment"/>'s AppHost, resets
/// ChaosProxy after each test, and fails a test when a service logged an error the test did not
/// announce with <see cref="ExpectErrors"/> (the errors its faults provoke on purpose). The
/// errors are read up to a marker each service logs at the end of the test, so an error logged
/// in a test's last moments is caught by that test, not lost.
/// </summary>
public abstract class E2ETest<TEnvironment> where TEnvironment : IEnvironmentDefinition
{
    private readonly List<string> _expectedErrors = [];

    /// <summary>The AppHost this class runs against.</summary>
    protected static TestEnvironment Env { get; private set; } = null!;

    [ClassInitialize(InheritanceBehavior.BeforeEachDerivedClass)]
    public static async Task StartEnvironmentAsync(TestContext _) => Env = await Environments.GetAsync<TEnvironment>();

    [ClassCleanup(InheritanceBehavior.BeforeEachDerivedClass)]
    public static async Task StopEnvironmentAsync()
    {
        if (!TEnvironment.Shared) await Environments.StopAsync<TEnvironment>();
    }

    /// <summary>Announces errors this test provokes on purpose: fragments of their message or category.</summary>
    protected void ExpectErrors(params string[] fragments) => _expectedErrors.AddRange(fragments);

    [TestCleanup]
    public async Task CheckNothingUnexpectedAsync()
    {
        // Faults a test injected through ChaosProxy must not leak into the next test.
        await Env.ChaosProxy.ResetAsync(Timeouts.Token());
        var unexpected = (await Env.ErrorLog.ReadNewErrorsAsync(Timeouts.Token()))
            .Where(e => !_expectedErrors.Any(a =>
                e.Message.Contains(a, StringComparison.OrdinalIgnoreCase) || e.Category.Contains(a, StringComparison.OrdinalIgnoreCase)))
            .ToArray();
        Assert.IsEmpty(unexpected, "unexpected errors logged: " + ErrorLogReader.Describe(unexpected));
    }
}
