using System.Collections.Concurrent;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>The running AppHosts by definition: started on first use, shared ones stopped at the end of the run.</summary>
public static class Environments
{
    private static readonly ConcurrentDictionary<Type, Lazy<Task<TestEnvironment>>> Running = new();

    public static Task<TestEnvironment> GetAsync<TDefinition>() where TDefinition : IEnvironmentDefinition =>
        Running.GetOrAdd(typeof(TDefinition), _ => new(() => TestEnvironment.StartAsync(TDefinition.Options))).Value;

    /// <summary>Stops the definition's AppHost, if it runs.</summary>
    public static async Task StopAsync<TDefinition>() where TDefinition : IEnvironmentDefinition
    {
        if (Running.TryRemove(typeof(TDefinition), out var started)) await DisposeAsync(started);
    }

    /// <summary>Stops every AppHost still running (the shared one) at the end of the run.</summary>
    public static async Task StopAllAsync()
    {
        foreach (var type in Running.Keys.ToArray())
        {
            if (Running.TryRemove(type, out var started)) await DisposeAsync(started);
        }
    }

    private static async Task DisposeAsync(Lazy<Task<TestEnvironment>> started)
    {
        if (!started.IsValueCreated || !started.Value.IsCompletedSuccessfully) return;
        await started.Value.Result.DisposeAsync();
    }
}
