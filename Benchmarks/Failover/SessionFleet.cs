using System.Collections.Concurrent;
using AspireResilience.Client;

namespace AspireResilience.Benchmarks.Failover;

/// <summary>
/// Many live sessions, each watched: when a fault drops some of them, <see cref="WaitForRecoveryAsync"/>
/// returns once every dropped session has been welcomed again.
/// </summary>
internal sealed class SessionFleet : IAsyncDisposable
{
    private readonly List<ResilientSession> _sessions;
    private readonly ConcurrentDictionary<ResilientSession, (int Drops, int Welcomes)> _counts = new();
    private readonly List<Task> _watchers;

    private SessionFleet(List<ResilientSession> sessions)
    {
        _sessions = sessions;
        _watchers = [.. sessions.Select(WatchAsync)];
    }

    public static async Task<SessionFleet> ConnectAsync(IEnumerable<ResilientSessionOptions> options, CancellationToken cancellationToken)
    {
        var sessions = new List<ResilientSession>();
        foreach (var option in options) sessions.Add(await ResilientSession.ConnectAsync(option, cancellationToken));
        var fleet = new SessionFleet(sessions);
        while (fleet._counts.Count < sessions.Count) await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        return fleet;
    }

    /// <summary>How many sessions have dropped and not yet been welcomed back.</summary>
    public int Recovering => _counts.Values.Count(c => c.Drops >= c.Welcomes);

    /// <summary>
    /// Waits until some session has dropped and every dropped one is welcomed again; returns how
    /// many dropped since <paramref name="before"/> (a snapshot of drop counts).
    /// </summary>
    public async Task<int> WaitForRecoveryAsync(IReadOnlyDictionary<ResilientSession, int> before, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            var dropped = _counts.Count(kv => kv.Value.Drops > before.GetValueOrDefault(kv.Key));
            if (dropped > 0 && Recovering == 0) return dropped;
            await Task.Delay(TimeSpan.FromMilliseconds(20), limit.Token);
        }
    }

    /// <summary>Each session's drop count now.</summary>
    public IReadOnlyDictionary<ResilientSession, int> DropCounts() => _sessions.ToDictionary(s => s, s => _counts.GetValueOrDefault(s).Drops);

    private async Task WatchAsync(ResilientSession session)
    {
        // The first welcome is the connect; it counts as the "welcome" of drop zero.
        await foreach (var change in session.ConnectionEvents.ReadAllAsync())
        {
            _counts.AddOrUpdate(session, _ => Count(default, change), (_, c) => Count(c, change));
        }
    }

    private static (int Drops, int Welcomes) Count((int Drops, int Welcomes) counts, ConnectionEvent change) => change switch
    {
        Disconnected => (counts.Drops + 1, counts.Welcomes),
        Welcomed => (counts.Drops, counts.Welcomes + 1),
        _ => counts,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions) await session.DisposeAsync();
        await Task.WhenAll(_watchers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
