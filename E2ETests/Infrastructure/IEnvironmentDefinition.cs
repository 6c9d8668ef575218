namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>
/// Which AppHost a test class runs against. Classes that only read share
/// <see cref="SharedEnvironment"/>: one AppHost for the whole run, so a new suite adds seconds,
/// not a start-up. A class that kills, restarts or reconfigures a resource defines its own
/// (<see cref="Shared"/> false) and gets an AppHost of its own, started before its first test
/// and stopped after its last.
/// </summary>
public interface IEnvironmentDefinition
{
    /// <summary>How to start it.</summary>
    static abstract EnvironmentOptions Options { get; }

    /// <summary>True when classes share one instance for the whole run.</summary>
    static abstract bool Shared { get; }
}
