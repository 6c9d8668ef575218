namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// The one AppHost every read-only class shares. Its tests may add ChaosProxy toxics (reset
/// after each test) but never kill, restart or reconfigure a resource.
/// </summary>
public sealed class SharedEnvironment : IEnvironmentDefinition
{
    // Each test takes its own users; the shared pool serves every read-only suite.
    public static EnvironmentOptions Options => new() { Name = "shared", UserPoolSize = 400 };

    public static bool Shared => true;
}
