namespace AspireResilience.E2ETests.Suite05_BackendRestart;

/// <summary>Two Backend replicas (the AppHost's default), one of which the suite kills: an AppHost of its own.</summary>
public sealed class ReplicasEnvironment : IEnvironmentDefinition
{
    public static EnvironmentOptions Options => new() { Name = "suite05replicas", BackendReplicas = 2 };

    public static bool Shared => false;
}
