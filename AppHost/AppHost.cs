using AspireResilience.AppHost;
using AspireResilience.AppHost.Auth;
using AspireResilience.AppHost.Chaos;
using AspireResilience.AppHost.Faults;
using AspireResilience.AppHost.Redis;
using AspireResilience.Contracts;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: published, the Redis container; run, the machine's redis-server, or with
// Redis:Mode=cluster a Redis Cluster of them (docs/security.md, docs/architecture.md).
var redis = builder.AddSessionStore(ResourceNames.Redis);

// Services
var auth = builder.AddProject<Projects.AuthService>(ResourceNames.Auth)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

var backend = builder.AddProject<Projects.Backend>(ResourceNames.Backend)
    .WithReplicas(builder.BackendReplicas())
    .WithReference(redis).WaitFor(redis)
    .WithReference(auth).WaitFor(auth)
    .WithHttpHealthCheck("/health");

// The test bench (F5 and the suites), never published: fault commands, the AuthService's admin
// API, signing keys kept in the data folder, and ChaosProxy on both of the Backend's hops so
// suites can fault either one (clients may also use the Backend's own endpoint directly).
if (builder.ExecutionContext.IsRunMode)
{
    auth.WithEnvironment("Auth__KeyDirectory", Path.Combine(builder.DataDirectory(), "auth-keys"))
        .WithAdminApi()
        .WithKillCommand();
    backend.WithKillCommand()
        .WithDropConnectionsCommand();

    var chaos = builder.AddChaosProxy(ResourceNames.Chaos);
    chaos.AddProxy(ChaosProxyNames.Backend, backend.GetEndpoint("http"));
    backend.WaitFor(chaos);
    // A cluster's MOVED redirects name each node's own address: no proxy can sit in front of
    // it, so in cluster mode the Backend talks to the nodes and the Redis hop has no toxics.
    if (!builder.IsRedisCluster())
    {
        var redisThroughChaos = chaos.AddProxy(ChaosProxyNames.Redis, ((IResourceWithEndpoints)redis.Resource).GetEndpoint("tcp"));
        // Set after WithReference: the later value of the variable wins.
        backend.WithEnvironment("ConnectionStrings__redis", redis.ConnectionStringVia(redisThroughChaos));
    }
}

builder.Build().Run();
