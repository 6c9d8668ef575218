using System.Collections.Concurrent;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>The proxies by name. Thread-safe; proxy names are case-sensitive, as in Toxiproxy.</summary>
internal sealed class ProxyRegistry(ProxyEnvironment environment) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Proxy> _proxies = new(StringComparer.Ordinal);

    public ProxyEnvironment Environment => environment;

    /// <summary>All proxies, ordered by name.</summary>
    public IReadOnlyList<Proxy> All => [.. _proxies.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];

    public bool TryGet(string name, out Proxy proxy) => _proxies.TryGetValue(name, out proxy!);

    /// <summary>
    /// Creates a proxy and, if enabled, binds it. Returns null when the name is taken; throws
    /// <see cref="System.Net.Sockets.SocketException"/> when the listen address cannot be bound.
    /// </summary>
    public async Task<Proxy?> CreateAsync(ProxyDefinition definition, CancellationToken cancellationToken)
    {
        var proxy = new Proxy(definition, environment);
        if (!_proxies.TryAdd(definition.Name, proxy))
        {
            return null;
        }

        try
        {
            await proxy.SetEnabledAsync(definition.Enabled, cancellationToken);
            return proxy;
        }
        catch
        {
            _proxies.TryRemove(definition.Name, out _);
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> DeleteAsync(string name)
    {
        if (!_proxies.TryRemove(name, out var proxy))
        {
            return false;
        }

        await proxy.DisposeAsync();
        return true;
    }

    /// <summary>Toxiproxy's <c>POST /reset</c>: every proxy enabled, every toxic removed.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        foreach (var proxy in All)
        {
            proxy.RemoveAllToxics();
            await proxy.SetEnabledAsync(true, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _proxies.Keys.ToList())
        {
            await DeleteAsync(name);
        }
    }
}
