using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.Benchmarks.Hosting;

/// <summary>
/// The real AppHost as every benchmark starts it: the settings each measured path needs lifted
/// once here, so no verb carries its own copy. What is lifted is what a benchmark drives on purpose
/// and a production default would refuse; nothing measured depends on it.
/// </summary>
internal static class BenchmarkEnvironment
{
    /// <summary>
    /// Starts the AppHost with <paramref name="replicas"/> Backend processes and <paramref name="users"/> users.
    /// <paramref name="backend"/> adds the Backend settings a benchmark needs on top of the common ones.
    /// </summary>
    public static async Task<TestEnvironment> StartAsync(string name, int replicas, int users, CancellationToken cancellationToken,
        params (string Name, string Value)[] backend)
    {
        Console.Error.WriteLine($"starting the AppHost ({replicas} Backend replica(s), {users} users)...");
        return await TestEnvironment.StartAsync(new EnvironmentOptions
        {
            Name = name,
            UserPoolSize = users,
            BackendReplicas = replicas,
            Configure = builder =>
            {
                // Timings must not include logins: one access token per user lasts the whole run, and
                // refreshing many times a second from one address is measured, not refused.
                builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth)
                    .WithEnvironment("Auth__AccessTokenLifetime", "01:00:00")
                    .WithEnvironment("Auth__RateLimits__PerAddressPermitLimit", "1000000");
                // Hundreds of back-to-back resumes of one session are a benchmark's point, not flapping: no 4029.
                var service = builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
                    .WithEnvironment("Gateway__ReconnectsPerSession", "0")
                    .WithEnvironment("Gateway__ReconnectsPerUser", "0");
                foreach (var (key, value) in backend) service.WithEnvironment(key, value);
            },
        }, cancellationToken);
    }
}
