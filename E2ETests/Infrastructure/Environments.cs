using System.Collections.Concurrent;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>The running AppHosts by definition: started on first use, shared ones stopped at the end of the run.</summary>
public static class Environments
{
    private static readonly ConcurrentDictionary<Type, Lazy<Task<TestEnvironment>>> Running = new();
    private static readonly ConcurrentBag<Task> Stopping = [];

    public static Task<TestEnvironment> GetAsync<TDefinition>() where TDefinition : IEnvironmentDefinition =>
        Running.GetOrAdd(typeof(TDefinition), _ => new(() => TestEnvironment.StartAsync(TDefinition.Options))).Value;

    /// <summary>
    /// Stops the definition's AppHost, if it runs, in the background: its graceful shutdown is
    /// mostly waiting (close grace periods, process exits), so the next class need not wait for
    /// it. <see cref="StopAllAsync"/> awaits every such stop.
    /// </summary>
    public static Task StopAsync<TDefinition>() where TDefinition : IEnvironmentDefinition
    {
        if (Running.TryRemove(typeof(TDefinition), out var started)) Stopping.Add(DisposeAsync(started));
        return Task.CompletedTask;
    }

    /// <summary>Stops every AppHost still running (the shared ones) at the end of the run, and awaits those stopping.</summary>
    public static async Task StopAllAsync()
    {
        foreach (var type in Running.Keys.ToArray())
        {
            if (Running.TryRemove(type, out var started)) Stopping.Add(DisposeAsync(started));
        }
        await Task.WhenAll(Stopping);
    }

    private static async Task DisposeAsync(Lazy<Task<TestEnvironment>> started)
    {
        if (!started.IsValueCreated || !started.Value.IsCompletedSuccessfully) return;
        await started.Value.Result.DisposeAsync();
    }
}
