using AspireResilience.AppHost;
using AspireResilience.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);
var dataDirectory = builder.DataDirectory();

// Infrastructure
var redis = builder.AddRealRedis("redis", Path.Combine(dataDirectory, "redis"));

// Services
var auth = builder.AddProject<Projects.AuthService>("authservice")
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Auth__KeyDirectory", Path.Combine(dataDirectory, "auth-keys"))
    // The admin API (key rotation) exists for the fault-injection suites; this AppHost is a dev/test environment.
    .WithEnvironment("Auth__EnableAdminApi", "true")
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Backend>("backend")
    .WithReference(redis).WaitFor(redis)
    .WithReference(auth).WaitFor(auth)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
