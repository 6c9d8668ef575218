namespace AspireResilience.AppHost.Redis;

/// <summary>
/// The machine's <c>redis-server</c> run as an executable, for machines without a container
/// runtime. It is a connection-string resource, so <c>WithReference</c>/<c>WaitFor</c> read the
/// same as with the container integration.
/// </summary>
public sealed class RedisServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    /// <summary>Where Redis keeps its append-only file.</summary>
    public string DataDirectory => WorkingDirectory;

    public EndpointReference Endpoint => _endpoint ??= new EndpointReference(this, EndpointName);

    /// <summary>
    /// Whether the next start keeps an append-only file. Read at every start, so a test can
    /// flip it and restart to lose the data on purpose.
    /// </summary>
    public bool Persistence { get; set; } = true;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.HostAndPort)}");
}
