using System.Collections.Concurrent;

namespace AspireResilience.Backend.Gateway;

/// <summary>The live connections of this process, for shutdown (1001) and revocation (4003).</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, GatewayConnection> _connections = new();

    public int Count => _connections.Count;

    public void Add(GatewayConnection connection) => _connections[connection.Id] = connection;

    public void Remove(GatewayConnection connection) => _connections.TryRemove(connection.Id, out _);

    public IEnumerable<GatewayConnection> All => _connections.Values;
}
