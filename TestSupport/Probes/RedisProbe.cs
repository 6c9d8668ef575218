using System.Globalization;
using Aspire.Hosting.Testing;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using StackExchange.Redis;

namespace AspireResilience.TestSupport.Probes;

/// <summary>A direct look into an environment's Redis: how many keys and how much memory, and a session's own keys.</summary>
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

    private IServer Server => _redis.GetServer(_redis.GetEndPoints()[0]);

    public Task<long> KeyCountAsync() => Server.DatabaseSizeAsync();

    /// <summary>Keys whose names satisfy <paramref name="match"/>, in one SCAN.</summary>
    public async Task<int> KeyCountAsync(Func<string, bool> match)
    {
        var count = 0;
        await foreach (var key in Server.KeysAsync()) if (match(key.ToString())) count++;
        return count;
    }

    /// <summary>Redis's <c>used_memory</c> in bytes.</summary>
    public async Task<long> UsedMemoryAsync()
    {
        var info = await Server.InfoAsync("memory");
        return long.Parse(info.SelectMany(g => g).Single(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
