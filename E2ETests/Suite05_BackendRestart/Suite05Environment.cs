using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireResilience.E2ETests.Suite05_BackendRestart;

/// <summary>
/// Suite05 kills and restarts the one Backend process: it owns its AppHost, with a single replica.
/// Its heartbeat interval is what a test sets before a restart: Aspire evaluates environment
/// callbacks at every start, so "set <see cref="HeartbeatInterval"/>, restart" is how a suite
/// reconfigures a resource.
/// </summary>
public sealed class Suite05Environment : IEnvironmentDefinition
{
    /// <summary>The Backend's default (appsettings.json): what the environment starts with and goes back to.</summary>
    public static TimeSpan DefaultHeartbeat { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The heartbeat interval the Backend gets at its next start.</summary>
    public static TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeat;

    public static EnvironmentOptions Options => new()
    {
        Name = "suite05",
        BackendReplicas = 1,
        UserPoolSize = 100,
        Configure = builder => builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
            .WithEnvironment(context => context.EnvironmentVariables["Gateway__HeartbeatInterval"] = HeartbeatInterval.ToString()),
    };

    public static bool Shared => false;
}
