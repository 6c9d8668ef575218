namespace AspireResilience.AppHost.Redis;

/// <summary>
/// The machine's <c>redis-server</c> run as an executable, for machines without a container
/// runtime (run mode only: a publish gets the Redis container). It is a connection-string
/// resource, so <c>WithReference</c>/<c>WaitFor</c> read the same as with the container
/// integration. It requires a password, which reaches Redis in an owner-only config file
/// (<see cref="ConfigFile"/>), never on the command line, where any local user could read it.
/// </summary>
public sealed class RedisServerResource(string name, string command, string workingDirectory, ParameterResource password, string configFile)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    /// <summary>Where Redis keeps its append-only file (mode 0700).</summary>
    public string DataDirectory => WorkingDirectory;

    /// <summary>The config file with <c>requirepass</c> (mode 0600), beside the data folder so "lose data" keeps it.</summary>
    public string ConfigFile { get; } = configFile;

    /// <summary>The password clients authenticate with; generated per AppHost run.</summary>
    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => _endpoint ??= new EndpointReference(this, EndpointName);

    /// <summary>
    /// Whether the next start keeps an append-only file. Read at every start, so a test can
    /// flip it and restart to lose the data on purpose.
    /// </summary>
    public bool Persistence { get; set; } = true;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.HostAndPort)},password={Password}");
}
