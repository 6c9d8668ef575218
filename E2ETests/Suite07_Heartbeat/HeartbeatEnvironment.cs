using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireResilience.E2ETests.Suite07_Heartbeat;

/// <summary>
/// The AppHost of Suites 06 and 07 where they need more than the shared one: one Backend process
/// (its memory and sockets are what a leak check measures), a 1 s heartbeat with a 1 s timeout
/// (DESIGN.md §10 budgets dead-peer detection at that setting), reconnect limits counted in a
/// 3 s window (so a test outlasts a 4029's retry-after in seconds) and small quotas and per-user caps a test can
/// reach. Shared by the classes of both suites, so the run pays for one start-up; a test that
/// changes <see cref="HeartbeatInterval"/> and restarts the Backend restores it before it ends.
/// </summary>
public sealed class HeartbeatEnvironment : IEnvironmentDefinition
{
    public static TimeSpan DefaultHeartbeat { get; } = TimeSpan.FromSeconds(1);
    public static TimeSpan HeartbeatTimeout { get; } = TimeSpan.FromSeconds(1);
    public static TimeSpan ReconnectWindow { get; } = TimeSpan.FromSeconds(3);

    /// <summary>The Backend default (<c>Gateway:ReconnectsPerSession</c>), kept here: the suites prove the default.</summary>
    public const int ReconnectsPerSession = 20;

    public const int MaxRunsPerSession = 2;
    public const int ContextTurns = 4;
    public const int MaxConnectionsPerUser = 2;
    public const int MaxSessionsPerUser = 3;

    /// <summary>The heartbeat interval the Backend gets at its next start.</summary>
    public static TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeat;

    public static EnvironmentOptions Options => new()
    {
        Name = "suite0607",
        BackendReplicas = 1,
        UserPoolSize = 300,
        Configure = builder => builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
            .WithEnvironment(context => context.EnvironmentVariables["Gateway__HeartbeatInterval"] = HeartbeatInterval.ToString())
            .WithEnvironment("Gateway__HeartbeatTimeout", HeartbeatTimeout.ToString())
            .WithEnvironment("Gateway__ReconnectWindow", ReconnectWindow.ToString())
            .WithEnvironment("Agent__MaxRunsPerSession", MaxRunsPerSession.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Sessions__ContextTurns", ContextTurns.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Gateway__MaxConnectionsPerUser", MaxConnectionsPerUser.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Gateway__MaxSessionsPerUser", MaxSessionsPerUser.ToString(CultureInfo.InvariantCulture)),
    };

    public static bool Shared => true;
}
