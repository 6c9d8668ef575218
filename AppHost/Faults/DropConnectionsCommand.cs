using AspireResilience.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace AspireResilience.AppHost.Faults;

/// <summary>
/// The dashboard's "Drop all connections" on the Backend: the process (each replica has its own
/// button) drops every socket without a close frame, as a network that fails under all its
/// clients at once. The process stays up; clients resume. Calls that instance's own address
/// (not DCP's shared proxy, which would pick any replica) on its admin API.
/// </summary>
public static class DropConnectionsCommand
{
    public static IResourceBuilder<ProjectResource> WithDropConnectionsCommand(this IResourceBuilder<ProjectResource> backend) =>
        backend
            .WithEnvironment("Gateway__EnableAdminApi", "true")
            .WithCommand(BackendAdminApi.DropConnectionsCommand, "Drop all connections", DropAsync, new CommandOptions
            {
                Description = "Every socket of this process is cut without a close frame; the sessions stay resumable.",
                IconName = "PlugDisconnected",
                UpdateState = AdminCall.EnabledWhenHealthy,
            });

    private static Task<ExecuteCommandResult> DropAsync(ExecuteCommandContext context)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (!notifications.TryGetCurrentState(context.ResourceName, out var state)
            || state.Snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == "ASPNETCORE_URLS")?.Value is not { } urls)
        {
            return Task.FromResult(CommandResults.Failure($"{context.ResourceName} has no address yet"));
        }
        return AdminCall.PostAsync(urls.Split(';')[0], BackendAdminApi.DropConnectionsPath, context.CancellationToken);
    }
}
