using AspireResilience.AppHost;
using AspireResilience.AppHost.Auth;
using AspireResilience.AppHost.Chaos;
using AspireResilience.AppHost.Faults;
using AspireResilience.AppHost.Redis;
using AspireResilience.Contracts;

var builder = DistributedApplication.CreateBuilder(args);
var dataDirectory = builder.DataDirectory();

// Infrastructure
var redis = builder.AddRealRedis(ResourceNames.Redis, Path.Combine(dataDirectory, "redis"));
var chaos = builder.AddProject<Projects.ChaosProxy>(ResourceNames.Chaos)
    .WithHttpHealthCheck("/health")
    .WithFaultCommands();

// Services
var auth = builder.AddProject<Projects.AuthService>(ResourceNames.Auth)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Auth__KeyDirectory", Path.Combine(dataDirectory, "auth-keys"))
    // The admin API (key rotation) exists for the fault-injection suites; this AppHost is a dev/test environment.
    .WithEnvironment("Auth__EnableAdminApi", "true")
    .WithKeyRotationCommand()
    .WithRevokeAllCommand()
    .WithHttpHealthCheck("/health")
    .WithKillCommand();

var backend = builder.AddProject<Projects.Backend>(ResourceNames.Backend)
    .WithReplicas(builder.BackendReplicas())
    .WaitFor(redis)
    .WithReference(auth).WaitFor(auth)
    .WithHttpHealthCheck("/health")
    .WithKillCommand()
    .WithDropConnectionsCommand();

// Both hops of the Backend go through ChaosProxy so suites can fault either one; clients may
// also use the Backend's own endpoint directly.
var redisThroughChaos = chaos.AddProxy(ChaosProxyNames.Redis, ((IResourceWithEndpoints)redis.Resource).GetEndpoint("tcp"));
chaos.AddProxy(ChaosProxyNames.Backend, backend.GetEndpoint("http"));
backend
    .WithEnvironment("ConnectionStrings__redis", redis.ConnectionStringVia(redisThroughChaos))
    .WaitFor(chaos);

builder.Build().Run();
