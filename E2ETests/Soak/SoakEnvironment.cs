namespace AspireResilience.E2ETests.Soak;

/// <summary>The soak kills and restarts everything: an AppHost of its own (<see cref="SoakSettings"/>: two Backend replicas).</summary>
public sealed class SoakEnvironment : IEnvironmentDefinition
{
    public static EnvironmentOptions Options => SoakSettings.Options(SoakRunSettings.FromEnvironment().Clients);

    public static bool Shared => false;
}
