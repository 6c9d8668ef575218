namespace AspireResilience.E2ETests.Suite05_BackendRestart;

/// <summary>Suite05 kills and restarts the one Backend process: it owns its AppHost, with a single replica.</summary>
public sealed class Suite05Environment : IEnvironmentDefinition
{
    public static EnvironmentOptions Options => new() { Name = "suite05", BackendReplicas = 1, UserPoolSize = 100 };

    public static bool Shared => false;
}
