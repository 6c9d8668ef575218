namespace AspireResilience.E2ETests.Suite05_BackendRestart;

/// <summary>Suite05 kills and restarts resources: it owns its AppHost.</summary>
public sealed class Suite05Environment : IEnvironmentDefinition
{
    public static EnvironmentOptions Options => new() { Name = "suite05" };

    public static bool Shared => false;
}
