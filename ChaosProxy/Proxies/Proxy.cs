using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AspireResilience.ChaosProxy.Telemetry;
using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>
/// A named listener that forwards every accepted connection to its upstream through its toxics.
/// Disabled ("down" in Toxiproxy): no listener and no connections; enabling listens again on
/// the same port (the one actually bound, when port 0 was asked for).
/// </summary>
internal sealed partial class Proxy : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ProxyConnection, Task> _connections = new();
    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private readonly Lock _toxicsGate = new();
    private readonly ILogger _logger;
    private volatile ToxicSet _toxics = ToxicSet.Empty;
    private volatile HostPort _upstream;
    private volatile bool _enabled;
    private IPEndPoint _listen;
    private ProxyListener? _listener;
    private long _bytesUpstream;
    private long _bytesDownstream;
    private long _nextConnectionId;

    public Proxy(ProxyDefinition definition, ProxyEnvironment environment)
    {
        Name = definition.Name;
        Environment = environment;
        _listen = definition.Listen;
        _upstream = definition.Upstream;
        _logger = environment.LoggerFactory.CreateLogger<Proxy>();
    }

    public string Name { get; }

    public ProxyEnvironment Environment { get; }

    /// <summary>The listen address; after the first bind, with the port actually bound.</summary>
    public string Listen => Volatile.Read(ref _listen).ToString();

    public HostPort UpstreamAddress => _upstream;

    public bool Enabled => _enabled;

    /// <summary>The current toxic snapshot; each chunk reads it, so changes reach open connections.</summary>
    public ToxicSet Toxics => _toxics;

    public int OpenConnections => _connections.Count;

    public long BytesUpstream => Interlocked.Read(ref _bytesUpstream);

    public long BytesDownstream => Interlocked.Read(ref _bytesDownstream);

    /// <summary>Listens (enabled) or stops listening and closes every connection (disabled).</summary>
    public async Task SetEnabledAsync(bool enabled, CancellationToken cancellationToken)
    {
        await _stateGate.WaitAsync(cancellationToken);
        try
        {
            if (enabled == _enabled)
            {
                return;
            }

            using var activity = ChaosProxyTelemetry.StartOperation(enabled ? "enable" : "disable", Name);
            if (enabled)
            {
                StartListening();
            }
            else
            {
                await StopListeningAsync("proxy disabled");
            }
        }
        finally
        {
            _stateGate.Release();
        }
    }

    /// <summary>Points new connections at another upstream; open ones keep theirs.</summary>
    public void SetUpstream(HostPort upstream)
    {
        _upstream = upstream;
        LogUpstreamChanged(_logger, Name, upstream.ToString());
    }

    public bool TryAddToxic(Toxic toxic)
    {
        using var activity = ChaosProxyTelemetry.StartOperation("toxic add", Name, toxic);
        lock (_toxicsGate)
        {
            if (_toxics.Find(toxic.Name) is not null)
            {
                return false;
            }

            _toxics = _toxics.Add(toxic);
        }

        LogToxicAdded(_logger, Name, toxic.Name, toxic.Type, ToxicCatalog.Format(toxic.Stream), toxic.Toxicity);
        NotifyToxicsChanged();
        return true;
    }

    /// <summary>Replaces the toxic of the same name; waits inside the old one end at once.</summary>
    public bool TryReplaceToxic(Toxic replacement)
    {
        using var activity = ChaosProxyTelemetry.StartOperation("toxic update", Name, replacement);
        Toxic? existing;
        lock (_toxicsGate)
        {
            existing = _toxics.Find(replacement.Name);
            if (existing is null)
            {
                return false;
            }

            _toxics = _toxics.Replace(existing, replacement);
        }

        existing.MarkRemoved();
        LogToxicAdded(_logger, Name, replacement.Name, replacement.Type, ToxicCatalog.Format(replacement.Stream), replacement.Toxicity);
        NotifyToxicsChanged();
        return true;
    }

    public bool TryRemoveToxic(string name)
    {
        Toxic? existing;
        lock (_toxicsGate)
        {
            existing = _toxics.Find(name);
            if (existing is null)
            {
                return false;
            }

            _toxics = _toxics.Remove(existing);
        }

        using var activity = ChaosProxyTelemetry.StartOperation("toxic remove", Name, existing);
        existing.MarkRemoved();
        LogToxicRemoved(_logger, Name, name);
        NotifyToxicsChanged();
        return true;
    }

    public void RemoveAllToxics()
    {
        ToxicSet removed;
        lock (_toxicsGate)
        {
            removed = _toxics;
            _toxics = ToxicSet.Empty;
        }

        foreach (var toxic in removed.All)
        {
            using var activity = ChaosProxyTelemetry.StartOperation("toxic remove", Name, toxic);
            toxic.MarkRemoved();
            LogToxicRemoved(_logger, Name, toxic.Name);
        }

        NotifyToxicsChanged();
    }

    /// <summary>Resets (RST) every open connection but keeps listening. Returns how many there were.</summary>
    public int ResetConnections(string reason)
    {
        using var activity = ChaosProxyTelemetry.StartOperation("connections reset", Name);
        var connections = _connections.Keys.ToList();
        foreach (var connection in connections)
        {
            connection.Reset(reason);
        }

        activity?.SetTag("chaosproxy.connections", connections.Count);
        return connections.Count;
    }

    public void CountBytes(ToxicStream stream, long count)
    {
        Interlocked.Add(ref stream == ToxicStream.Upstream ? ref _bytesUpstream : ref _bytesDownstream, count);
        Environment.Telemetry.BytesDelivered(Name, stream, count);
    }

    public async ValueTask DisposeAsync()
    {
        await _stateGate.WaitAsync();
        try
        {
            await StopListeningAsync("proxy deleted");
            RemoveAllToxics();
            try
            {
                await Task.WhenAll(_connections.Values).WaitAsync(Environment.DrainTimeout * 2, Environment.TimeProvider);
            }
            catch (TimeoutException)
            {
                // Peers that never close are cut when their sockets are disposed with the process.
            }
        }
        finally
        {
            _stateGate.Release();
        }
    }

    private void StartListening()
    {
        try
        {
            _listener = ProxyListener.Start(Volatile.Read(ref _listen), Accept, error => LogAcceptFailed(_logger, Name, error));
        }
        catch (SocketException exception)
        {
            // A proxy that cannot take its address leaves its hop without fault injection: an
            // operator must hear of it, whether it came from configuration or the API.
            LogListenFailed(_logger, Name, Listen, exception.SocketErrorCode);
            throw;
        }

        Volatile.Write(ref _listen, _listener.EndPoint);
        _enabled = true;
        LogListening(_logger, Name, Listen, _upstream.ToString());
    }

    private async Task StopListeningAsync(string reason)
    {
        if (_listener is null)
        {
            return;
        }

        _enabled = false;
        await _listener.DisposeAsync();
        _listener = null;
        foreach (var connection in _connections.Keys)
        {
            connection.Close(reason);
        }

        LogStopped(_logger, Name, reason);
    }

    private void Accept(Socket client)
    {
        var connection = new ProxyConnection(this, client, Interlocked.Increment(ref _nextConnectionId));
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = completion.Task;
        Environment.Telemetry.ConnectionOpened(Name);
        _ = Task.Run(async () =>
        {
            try
            {
                await connection.RunAsync();
            }
            finally
            {
                _connections.TryRemove(connection, out _);
                Environment.Telemetry.ConnectionClosed(Name);
                completion.SetResult();
            }
        }, CancellationToken.None);
    }

    private void NotifyToxicsChanged()
    {
        var toxics = _toxics;
        foreach (var connection in _connections.Keys)
        {
            connection.OnToxicsChanged(toxics);
        }
    }
}
