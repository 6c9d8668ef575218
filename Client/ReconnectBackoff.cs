using System.Globalization;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

/// <summary>The reconnect delay: exponential, capped, with full jitter (a pure function).</summary>
public static class ReconnectBackoff
{
    /// <summary>
    /// Delay before reconnect attempt <paramref name="attempt"/> (1-based): a uniform draw in
    /// [0, min(max, base·2^(attempt-1))], or <paramref name="retryAfter"/> if the server asked for
    /// longer. Full jitter spreads a crowd of clients that lost the same server.
    /// </summary>
    /// <param name="attempt">1 for the first reconnect attempt.</param>
    /// <param name="baseDelay">The ceiling of the first attempt.</param>
    /// <param name="maxDelay">The largest ceiling.</param>
    /// <param name="random">A value in [0, 1).</param>
    /// <param name="retryAfter">The least delay the server asked for (close 4029), if any.</param>
    public static TimeSpan NextDelay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var delay = TimeSpan.FromMilliseconds(ceiling * Math.Clamp(random, 0, 1));
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }

    /// <summary>
    /// The least delay a close asks for: a 4029 (too many reconnects) carries it in its reason,
    /// in milliseconds. Null for any other close or a reason that is not a non-negative integer.
    /// </summary>
    public static TimeSpan? RetryAfter(int? closeCode, string? reason) =>
        closeCode == CloseCodes.TooManyReconnects
        && long.TryParse(reason, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;
}
