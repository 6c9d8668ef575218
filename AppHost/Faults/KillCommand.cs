using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace AspireResilience.AppHost.Faults;

/// <summary>
/// The dashboard's "Kill (SIGKILL)": the resource's process tree dies at once, without close
/// frames or shutdown hooks, as in a crash or an OOM kill. With replicas each replica has its
/// own button. DCP does not start it again; the dashboard's Start does. The test suites kill
/// through this same command.
/// </summary>
public static class KillCommand
{
    public const string Name = "kill";

    private const string PidProperty = "executable.pid";

    public static IResourceBuilder<T> WithKillCommand<T>(this IResourceBuilder<T> builder) where T : IResource =>
        builder.WithCommand(Name, "Kill (SIGKILL)", KillAsync, new CommandOptions
        {
            Description = "SIGKILL the process tree: no close frames, no shutdown hooks. Start brings it back.",
            IconName = "Flash",
            UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running && Pid(context.ResourceSnapshot) is not null
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });

    /// <summary>The process id in a resource's snapshot, or null while it has none.</summary>
    public static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;

    private static async Task<ExecuteCommandResult> KillAsync(ExecuteCommandContext context)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (!notifications.TryGetCurrentState(context.ResourceName, out var state) || Pid(state.Snapshot) is not { } pid)
        {
            return CommandResults.Failure($"{context.ResourceName} has no running process");
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(context.CancellationToken);
        }
        catch (ArgumentException)
        {
            return CommandResults.Failure($"{context.ResourceName}'s process {pid} had already exited");
        }
        return CommandResults.Success();
    }
}
