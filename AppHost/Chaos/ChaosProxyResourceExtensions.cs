using System.Security.Cryptography;
using AspireResilience.AppHost.Redis;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.Contracts;

namespace AspireResilience.AppHost.Chaos;

public static class ChaosProxyResourceExtensions
{
    /// <summary>
    /// The ChaosProxy resource (run mode only: it is the test bench, never published) with its
    /// control API's bearer token, generated per run: a secret parameter named
    /// <see cref="ChaosProxyNames.ApiTokenParameter"/>, which the dashboard commands use and the
    /// tests read from the app model.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddChaosProxy(this IDistributedApplicationBuilder builder, string name)
    {
        var tokenValue = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var token = builder.AddParameter(ChaosProxyNames.ApiTokenParameter, () => tokenValue, secret: true);
        return builder.AddProject<Projects.ChaosProxy>(name)
            .WithEnvironment("ChaosProxy__ApiToken", token)
            .WithHttpHealthCheck("/health")
            .WithFaultCommands(tokenValue, redisHop: !builder.IsRedisCluster());
    }

    /// <summary>
    /// Adds a proxy named <paramref name="proxy"/> to the ChaosProxy resource: an endpoint
    /// <see cref="ChaosProxyNames.Endpoint"/> it listens on, forwarding to <paramref name="upstream"/>.
    /// </summary>
    public static EndpointReference AddProxy(this IResourceBuilder<ProjectResource> chaos, string proxy, EndpointReference upstream)
    {
        var endpointName = ChaosProxyNames.Endpoint(proxy);
        // "tcp", not "http": an http endpoint of a project would also be bound by Kestrel.
        chaos.WithEndpoint(name: endpointName, scheme: "tcp", env: $"ChaosProxy__Proxies__{proxy}__Listen")
            .WithEnvironment($"ChaosProxy__Proxies__{proxy}__Upstream",
                ReferenceExpression.Create($"{upstream.Property(EndpointProperty.HostAndPort)}"));
        return chaos.GetEndpoint(endpointName);
    }

    /// <summary>The dashboard's buttons for the common faults; they call the API with <paramref name="apiToken"/>.</summary>
    /// <param name="redisHop">Whether the Backend reaches Redis through the proxy (not on a cluster: see AppHost.cs).</param>
    public static IResourceBuilder<ProjectResource> WithFaultCommands(this IResourceBuilder<ProjectResource> chaos, string apiToken, bool redisHop)
    {
        var api = chaos.GetEndpoint("http");
        chaos.WithCommand("chaos-blackhole", "Blackhole clients 10 s", async context =>
        {
            var client = Client(api, apiToken);
            await client.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Downstream, "dashboard-blackhole-down"), context.CancellationToken);
            await client.AddToxicAsync(ChaosProxyNames.Backend, Toxic.Timeout(0, ToxicStream.Upstream, "dashboard-blackhole-up"), context.CancellationToken);
            // The lift runs in the AppHost after the command has answered.
            _ = Task.Delay(TimeSpan.FromSeconds(10)).ContinueWith(async _ =>
            {
                await client.RemoveToxicAsync(ChaosProxyNames.Backend, "dashboard-blackhole-down");
                await client.RemoveToxicAsync(ChaosProxyNames.Backend, "dashboard-blackhole-up");
            }, TaskScheduler.Default);
            return CommandResults.Success();
        }, new CommandOptions { Description = "Clients' frames go nowhere for 10 s (half-open links); heartbeats must notice." });

        chaos.WithCommand("chaos-latency", "Add 200 ms latency", async context =>
        {
            await Client(api, apiToken).AddToxicAsync(ChaosProxyNames.Backend, Toxic.Latency(200, 20, ToxicStream.Downstream, "dashboard-latency"), context.CancellationToken);
            return CommandResults.Success();
        }, new CommandOptions { Description = "Every server→client chunk is delayed 200 ± 20 ms until Reset." });

        chaos.WithCommand("chaos-cut", "Cut all connections", async context =>
        {
            var client = Client(api, apiToken);
            await client.ResetConnectionsAsync(ChaosProxyNames.Backend, context.CancellationToken);
            if (redisHop) await client.ResetConnectionsAsync(ChaosProxyNames.Redis, context.CancellationToken);
            return CommandResults.Success();
        }, new CommandOptions { Description = "TCP RST on every client and Redis connection (Redis: single node only); the proxies keep listening." });

        chaos.WithCommand("chaos-reset", "Reset all faults", async context =>
        {
            await Client(api, apiToken).ResetAsync(context.CancellationToken);
            return CommandResults.Success();
        }, new CommandOptions { Description = "Enable every proxy and remove every toxic." });
        return chaos;
    }

    private static ChaosProxyClient Client(EndpointReference api, string apiToken) =>
        new(new HttpClient { BaseAddress = new Uri(api.Url), Timeout = TimeSpan.FromSeconds(10) }, apiToken);
}
