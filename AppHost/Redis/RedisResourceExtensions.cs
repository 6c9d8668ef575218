using System.Diagnostics;
using System.Security.Cryptography;
using AspireResilience.AppHost.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace AspireResilience.AppHost.Redis;

public static class RedisResourceExtensions
{
    /// <summary>
    /// The session store. Published: the Redis container (Aspire.Hosting.Redis) with its own
    /// password and persistence on a named volume, so the manifest names no path of this machine.
    /// Run (F5, tests): <see cref="AddRealRedis"/> under the AppHost's data folder.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddSessionStore(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddRedis(name).WithDataVolume().WithPersistence()
            : builder.AddRealRedis(name, Path.Combine(builder.DataDirectory(), name));

    /// <summary>
    /// A real Redis: the container integration when a container runtime answers (or
    /// <c>Redis:Mode=container</c>), otherwise the machine's <c>redis-server</c> as an
    /// executable with append-only persistence under <paramref name="dataDirectory"/> (0700) and
    /// a password generated per run, handed over in <c>{dataDirectory}.conf</c> (0600).
    /// <c>Redis:Mode=cluster</c>: a Redis Cluster of such executables (<see cref="RedisClusterExtensions"/>).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRealRedis(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        var mode = builder.Configuration["Redis:Mode"] ?? "auto";
        if (mode == "container" || (mode == "auto" && ContainerRuntimeAnswers()))
        {
            return builder.AddRedis(name).WithDataBindMount(dataDirectory).WithPersistence();
        }

        var server = FindOnPath("redis-server") ?? throw new DistributedApplicationException(
            "Redis is needed but neither a container runtime nor redis-server was found: install redis-server (Debian: sudo apt-get install -y redis-server).");
        var passwordValue = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var password = new RedisPassword(builder.AddParameter($"{name}-password", () => passwordValue, secret: true).Resource, passwordValue);
        if (mode == "cluster")
        {
            var cli = FindOnPath("redis-cli") ?? throw new DistributedApplicationException(
                "Redis:Mode=cluster needs redis-cli to form the cluster: install redis-tools (Debian: sudo apt-get install -y redis-tools).");
            return builder.AddRedisCluster(name, server, cli, dataDirectory, password);
        }
        return builder.AddRedisServer(name, server, dataDirectory, password, port: null, extraArgs: []).WithDataCommands();
    }

    /// <summary>
    /// One <c>redis-server</c> process with append-only persistence under <paramref name="dataDirectory"/>
    /// (0700), its password in <c>{dataDirectory}.conf</c> (0600), a PING health check and the kill
    /// command. <paramref name="port"/> null: DCP allocates and proxies the port; a cluster node
    /// passes its own (nodes announce their address, so nothing may sit in between).
    /// </summary>
    internal static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name, string server,
        string dataDirectory, RedisPassword password, int? port, IReadOnlyList<string> extraArgs)
    {
        RedisServerFiles.PrepareDataDirectory(dataDirectory);
        var configFile = dataDirectory + ".conf";
        RedisServerFiles.WriteConfig(configFile, password.Value);

        var resource = new RedisServerResource(name, server, dataDirectory, password.Parameter, configFile);
        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckKey, _ => new RedisPingHealthCheck(resource), failureStatus: null, tags: null));

        return builder.AddResource(resource)
            .WithEndpoint(name: RedisServerResource.EndpointName, scheme: "tcp", port: port, targetPort: port, isProxied: port is null)
            .WithArgs(context =>
            {
                // The config file first (redis-server's rule): it holds the password, the rest is not secret.
                context.Args.Add(configFile);
                context.Args.Add("--port");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                // RDB snapshots off: the append-only file is the one persistence switch.
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--appendonly");
                context.Args.Add(resource.Persistence ? "yes" : "no");
                context.Args.Add("--appendfsync");
                context.Args.Add("everysec");
                foreach (var arg in extraArgs) context.Args.Add(arg);
            })
            .WithHealthCheck(healthCheckKey)
            .WithKillCommand();
    }

    /// <summary>
    /// The connection string of <paramref name="redis"/> when reached through another address
    /// (a ChaosProxy listener): that host and port, plus the password.
    /// </summary>
    public static ReferenceExpression ConnectionStringVia(this IResourceBuilder<IResourceWithConnectionString> redis, EndpointReference address) =>
        redis.Resource switch
        {
            RedisResource { PasswordParameter: { } password } => ReferenceExpression.Create($"{address.Property(EndpointProperty.HostAndPort)},password={password}"),
            RedisServerResource server => ReferenceExpression.Create($"{address.Property(EndpointProperty.HostAndPort)},password={server.Password}"),
            RedisClusterResource => throw new InvalidOperationException("A cluster cannot be reached through one address: MOVED redirects name each node's own."),
            _ => ReferenceExpression.Create($"{address.Property(EndpointProperty.HostAndPort)}"),
        };

    private static bool ContainerRuntimeAnswers()
    {
        var docker = FindOnPath("docker") ?? FindOnPath("podman");
        if (docker is null) return false;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(docker, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null) return false;
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
