using StackExchange.Redis;

namespace AspireResilience.Backend.Sessions;

/// <summary>
/// Tells a Redis outage (no connection, a command that timed out, a server still loading its
/// data) from a bug: an outage is answered with "try again later" (1013), a bug with 1011.
/// </summary>
public static class RedisOutage
{
    /// <summary>
    /// True for the failures a Redis restart or a lost connection produces.
    /// <see cref="RedisTimeoutException"/> derives from <see cref="TimeoutException"/>, not from
    /// <see cref="RedisException"/>, so catching the latter alone lets timeouts through.
    /// </summary>
    public static bool Is(Exception exception) => exception is RedisException or RedisTimeoutException;
}
