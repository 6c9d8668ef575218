using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.AppHost.Faults;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.TestSupport.Faults;

/// <summary>
/// Real faults on real resources: graceful restart through Aspire's commands, SIGKILL of the
/// process tree. Replica-aware: a resource with replicas has one instance per replica (its id,
/// e.g. <c>backend-abcd1234</c>); a fault on such a resource names the instance.
/// </summary>
/// <param name="app">The running application.</param>
/// <param name="instances">Each resource's instance ids, as seen when the environment started.</param>
public sealed class ResourceFaults(DistributedApplication app, IReadOnlyDictionary<string, IReadOnlyList<string>> instances)
{
    /// <summary>The instance ids of <paramref name="resource"/>: one per replica.</summary>
    public IReadOnlyList<string> Instances(string resource) => instances[resource];

    /// <summary>
    /// SIGKILLs the instance's whole process tree (for a project that is the <c>dotnet run</c>
    /// host and the service under it) with the dashboard's "Kill (SIGKILL)" command: no close
    /// frames, no shutdown hooks. Returns the killed pid once Aspire has seen the process exit.
    /// DCP does not restart it: <see cref="StartAsync"/> does.
    /// </summary>
    /// <param name="resource">The model name, e.g. <c>backend</c>.</param>
    /// <param name="instance">The replica to kill; may be omitted when there is only one.</param>
    public async Task<int> KillAsync(string resource, string? instance = null)
    {
        instance ??= SingleInstance(resource);
        var pid = Pid(instance) ?? throw new InvalidOperationException($"'{instance}' has no process to kill");
        var killed = await app.ResourceCommands.ExecuteCommandAsync(instance, KillCommand.Name, Timeouts.Token());
        if (!killed.Success) throw new InvalidOperationException($"'{instance}' was not killed: {killed.Message}");
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.ResourceId == instance && e.Snapshot.State?.Text is { } state && state != KnownResourceStates.Running, Timeouts.Token());
        return pid;
    }

    /// <summary>Starts a stopped or killed instance with Aspire's start command and waits until its new process is healthy.</summary>
    public async Task StartAsync(string resource, int previousPid, string? instance = null)
    {
        instance ??= SingleInstance(resource);
        await app.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, Timeouts.Token(Timeouts.StartStop));
        await WaitHealthyAsync(resource, instance, previousPid);
    }

    /// <summary>
    /// Graceful stop through Aspire's stop command (SIGTERM, shutdown hooks run). Returns the
    /// stopped pid once Aspire reports the instance exited; <see cref="StartAsync"/> brings it back.
    /// </summary>
    public async Task<int> StopAsync(string resource, string? instance = null)
    {
        instance ??= SingleInstance(resource);
        var pid = Pid(instance) ?? throw new InvalidOperationException($"'{instance}' is not running");
        await app.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.StopCommand, Timeouts.Token(Timeouts.StartStop));
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.ResourceId == instance && e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
            Timeouts.Token(Timeouts.StartStop));
        return pid;
    }

    /// <summary>Graceful restart through Aspire's restart command (SIGTERM, shutdown hooks run), then healthy again.</summary>
    public async Task RestartAsync(string resource, string? instance = null)
    {
        instance ??= SingleInstance(resource);
        var pid = Pid(instance) ?? throw new InvalidOperationException($"'{instance}' is not running");
        await app.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.RestartCommand, Timeouts.Token(Timeouts.StartStop));
        await WaitHealthyAsync(resource, instance, pid);
    }

    /// <summary>
    /// Restarts an instance even while a resource it waits for (<c>WaitFor</c>, e.g. Redis) is
    /// down, as a process manager that knows nothing of dependencies would: Aspire holds the
    /// restart in Waiting, and a start command — the dashboard's Start button on a waiting
    /// resource — overrides the wait. Returns the new pid once its process runs (healthy or not:
    /// that is the caller's question) and the restart command has completed.
    /// </summary>
    public async Task<int> RestartPastDependenciesAsync(string resource, string? instance = null)
    {
        instance ??= SingleInstance(resource);
        var pid = Pid(instance) ?? throw new InvalidOperationException($"'{instance}' is not running");
        var restart = app.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.RestartCommand, Timeouts.Token(Timeouts.StartStop));
        // Waiting, and its Start command offered (the snapshot may say Waiting a moment before
        // the command is enabled; executing it then fails).
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.ResourceId == instance && e.Snapshot.State?.Text == KnownResourceStates.Waiting
                && e.Snapshot.Commands.Any(c => c.Name == KnownResourceCommands.StartCommand && c.State == ResourceCommandState.Enabled),
            Timeouts.Token(Timeouts.StartStop));
        var start = await app.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, Timeouts.Token(Timeouts.StartStop));
        if (!start.Success) throw new InvalidOperationException($"'{instance}' did not start: {start.Message}");
        var running = await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.ResourceId == instance && e.Snapshot.State?.Text == KnownResourceStates.Running && Pid(e.Snapshot) is { } p && p != pid,
            Timeouts.Token(Timeouts.StartStop));
        var restarted = await restart;
        if (!restarted.Success) throw new InvalidOperationException($"'{instance}' did not restart: {restarted.Message}");
        return Pid(running.Snapshot)!.Value;
    }

    /// <summary>
    /// The dashboard's "Drop all connections" on every instance of the Backend: each process cuts
    /// its sockets without a close frame. Returns the command results' answers (<c>{"dropped":n}</c>).
    /// </summary>
    public async Task<IReadOnlyList<string>> DropAllConnectionsAsync()
    {
        var answers = new List<string>();
        foreach (var instance in Instances(ResourceNames.Backend))
        {
            answers.Add(await CommandAsync(instance, BackendAdminApi.DropConnectionsCommand));
        }
        return answers;
    }

    /// <summary>The dashboard's "Revoke all tokens" on the AuthService. Returns its answer (<c>{"revoked":families}</c>).</summary>
    public Task<string> RevokeAllTokensAsync() => CommandAsync(SingleInstance(ResourceNames.Auth), AuthAdminApi.RevokeAllCommand);

    private async Task<string> CommandAsync(string instance, string command)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(instance, command, Timeouts.Token());
        if (!result.Success) throw new InvalidOperationException($"'{command}' on '{instance}' failed: {result.Message}");
        return result.Message ?? "";
    }

    /// <summary>The current process id of each instance of <paramref name="resource"/> (null while one has none).</summary>
    public IReadOnlyList<int?> Pids(string resource) => [.. Instances(resource).Select(Pid)];

    /// <summary>Whether the instance's process is running (a killed or stopped one is not).</summary>
    public bool IsRunning(string instance) =>
        app.ResourceNotifications.TryGetCurrentState(instance, out var state) && state.Snapshot.State?.Text == KnownResourceStates.Running;

    /// <summary>The instance's current process id, or null while it has none.</summary>
    public int? Pid(string instance) =>
        app.ResourceNotifications.TryGetCurrentState(instance, out var state) ? Pid(state.Snapshot) : null;

    // A fresh pid proves the snapshot is the new process', not the stale healthy one of the old.
    // With replicas, Aspire's health check goes through DCP's shared proxy, so "healthy" may be
    // the other replica answering: a project instance is ready when its own address answers.
    private async Task WaitHealthyAsync(string resource, string instance, int previousPid)
    {
        ResourceEvent ready;
        try
        {
            ready = await app.ResourceNotifications.WaitForResourceAsync(resource,
                e => e.ResourceId == instance && Pid(e.Snapshot) is { } pid && pid != previousPid && e.Snapshot.HealthStatus == HealthStatus.Healthy,
                Timeouts.Token(Timeouts.StartStop));
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException(
                $"'{instance}' was not healthy {Timeouts.StartStop.TotalSeconds:0} s after it was started (previous pid {previousPid}):\n"
                + await ResourceDiagnosis.DescribeAsync(app, resource, instance), e);
        }
        if (ready.Snapshot.EnvironmentVariables.Any(e => e.Name == "ASPNETCORE_URLS"))
        {
            await ResourceHealth.WaitForOwnAddressAsync(ResourceInstance.Read(app, resource, instance).Address, Timeouts.Token(Timeouts.StartStop));
        }
    }

    private string SingleInstance(string resource) => Instances(resource) is [var only]
        ? only
        : throw new InvalidOperationException($"'{resource}' has several replicas: name the instance");

    private static int? Pid(CustomResourceSnapshot snapshot) => KillCommand.Pid(snapshot);
}
