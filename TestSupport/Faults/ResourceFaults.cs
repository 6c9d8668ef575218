using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.TestSupport.Faults;

/// <summary>Real faults on real resources: graceful restart through Aspire's commands, SIGKILL of the process tree.</summary>
public sealed class ResourceFaults(DistributedApplication app)
{
    private const string PidProperty = "executable.pid";

    /// <summary>
    /// SIGKILLs the resource's whole process tree (for a project that is the <c>dotnet run</c>
    /// host and the service under it): no close frames, no shutdown hooks. Returns once Aspire
    /// has seen it exit.
    /// </summary>
    public async Task<int> KillAsync(string resource)
    {
        var pid = await PidAsync(resource);
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Timeouts.Token());
        }
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is not null && e.Snapshot.State.Text != KnownResourceStates.Running, Timeouts.Token());
        return pid;
    }

    /// <summary>Starts a stopped or killed resource with Aspire's start command and waits until the new process is healthy.</summary>
    public async Task StartAsync(string resource, int previousPid)
    {
        await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, Timeouts.Token());
        await WaitHealthyAsync(resource, previousPid);
    }

    /// <summary>Graceful restart through Aspire's restart command (SIGTERM, shutdown hooks run), then healthy again.</summary>
    public async Task RestartAsync(string resource)
    {
        var pid = await PidAsync(resource);
        await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.RestartCommand, Timeouts.Token(Timeouts.StartStop));
        await WaitHealthyAsync(resource, pid);
    }

    public async Task<int> PidAsync(string resource)
    {
        var e = await app.ResourceNotifications.WaitForResourceAsync(resource, e => Pid(e.Snapshot) is not null, Timeouts.Token());
        return Pid(e.Snapshot)!.Value;
    }

    // A fresh pid proves the snapshot is the new process', not the stale healthy one of the old.
    private Task WaitHealthyAsync(string resource, int previousPid) =>
        app.ResourceNotifications.WaitForResourceAsync(resource,
            e => Pid(e.Snapshot) is { } pid && pid != previousPid && e.Snapshot.HealthStatus == HealthStatus.Healthy,
            Timeouts.Token(Timeouts.StartStop));

    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value ? Convert.ToInt32(value) : null;
}
