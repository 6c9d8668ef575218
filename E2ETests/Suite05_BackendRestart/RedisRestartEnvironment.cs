namespace AspireResilience.E2ETests.Suite05_BackendRestart;

/// <summary>
/// Suite05's Redis cases stop, restart and wipe Redis, and restart a Backend replica while Redis
/// is down: they own their AppHost, with the default two Backend replicas.
/// </summary>
public sealed class RedisRestartEnvironment : IEnvironmentDefinition
{
    public static EnvironmentOptions Options => new() { Name = "suite05redis" };

    public static bool Shared => false;
}
