using System.Globalization;
using Aspire.Hosting.Testing;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using StackExchange.Redis;

namespace AspireResilience.TestSupport.Probes;

/// <summary>
/// A direct look into an environment's Redis: how many keys and how much memory, and a session's
/// own keys. On a cluster every figure is the sum over its masters (replicas hold copies).
/// </summary>
public sealed class RedisProbe : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;

    private RedisProbe(ConnectionMultiplexer redis) => _redis = redis;

    public static async Task<RedisProbe> ConnectAsync(TestEnvironment env, CancellationToken cancellationToken)
    {
        var address = await env.App.GetConnectionStringAsync(ResourceNames.Redis, cancellationToken)
            ?? throw new InvalidOperationException("Redis has no connection string");
        return new RedisProbe(await ConnectionMultiplexer.ConnectAsync($"{address},allowAdmin=true"));
    }

    public IDatabase Db => _redis.GetDatabase();

    private IEnumerable<IServer> Masters => _redis.GetServers().Where(s => !s.IsReplica);

    public async Task<long> KeyCountAsync() => (await Task.WhenAll(Masters.Select(s => s.DatabaseSizeAsync()))).Sum();

    /// <summary>Keys whose names satisfy <paramref name="match"/>, in one SCAN per master.</summary>
    public async Task<int> KeyCountAsync(Func<string, bool> match)
    {
        var count = 0;
        foreach (var server in Masters)
        {
            await foreach (var key in server.KeysAsync()) if (match(key.ToString())) count++;
        }
        return count;
    }

    /// <summary>Redis's <c>used_memory</c> in bytes (summed over the masters).</summary>
    public async Task<long> UsedMemoryAsync() => (await Task.WhenAll(Masters.Select(s => InfoFieldAsync(s, "memory", "used_memory")))).Sum();

    /// <summary>
    /// <c>INFO commandstats</c> summed over the masters: calls and microseconds of Redis CPU per
    /// command (lower case, e.g. <c>evalsha</c>, <c>spublish</c>; the commands a script runs are
    /// counted too, and its own time includes theirs). The difference of two readings is what a
    /// workload cost.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, (long Calls, long Microseconds)>> CommandStatsAsync()
    {
        var stats = new Dictionary<string, (long Calls, long Microseconds)>(StringComparer.Ordinal);
        foreach (var server in Masters)
        {
            foreach (var stat in (await server.InfoAsync("commandstats")).SelectMany(g => g))
            {
                // cmdstat_evalsha: calls=12,usec=345,usec_per_call=28.75,...
                var fields = stat.Value.Split(',').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
                var name = stat.Key["cmdstat_".Length..];
                var (calls, usec) = stats.GetValueOrDefault(name);
                stats[name] = (calls + long.Parse(fields["calls"], CultureInfo.InvariantCulture), usec + long.Parse(fields["usec"], CultureInfo.InvariantCulture));
            }
        }
        return stats;
    }

    private static async Task<long> InfoFieldAsync(IServer server, string section, string field) =>
        long.Parse((await server.InfoAsync(section)).SelectMany(g => g).Single(p => p.Key == field).Value, CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
