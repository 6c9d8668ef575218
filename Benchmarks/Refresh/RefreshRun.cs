using System.Diagnostics;
using AspireResilience.Client;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Sessions;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Refresh;

/// <summary>
/// In-band token refreshes on one live session: each sample is one
/// <see cref="ResilientSession.RefreshTokenAsync"/> (a refresh-token grant at the AuthService, then
/// <c>refresh</c> → <c>refreshed</c> on the socket), timed by the client's <c>client.token.refresh</c>
/// span (the in-band part) and the Backend's <c>token.refresh</c> span (validation and answer).
/// </summary>
internal static class RefreshRun
{
    private const int Warmup = 20;

    /// <summary>
    /// Runs <paramref name="count"/> refreshes after a warm-up, at most one per <paramref name="pace"/> (zero: back to back).
    /// Without <paramref name="backendSpans"/> the Backend's spans are not read from the dashboard
    /// (after thousands of sessions its telemetry API answers too slowly for a benchmark's loop).
    /// </summary>
    public static async Task<RefreshResult> MeasureAsync(TestEnvironment env, Uri endpoint, int count, TimeSpan pace, CancellationToken cancellationToken,
        bool backendSpans = true)
    {
        await using var client = await SessionFactory.ConnectAsync(env, endpoint: endpoint);
        var session = client.Session;
        var sessionId = session.SessionId;
        using var timer = pace > TimeSpan.Zero ? new PeriodicTimer(pace) : null;
        Console.Error.WriteLine($"refresh: {Warmup} warm-up and {count} measured refreshes...");
        var refreshesBefore = session.TokenRefreshes;
        for (var i = -Warmup; i < count; i++)
        {
            if (i == 0)
            {
                env.ClientSpans.Clear();
                refreshesBefore = session.TokenRefreshes;
            }
            await session.RefreshTokenAsync(cancellationToken);
            if (timer is not null) await timer.WaitForNextTickAsync(cancellationToken);
        }

        var clientSpans = env.ClientSpans.Finished
            .Where(a => a.OperationName == ClientTelemetry.TokenRefreshSpan && (string?)a.GetTagItem(ClientTelemetry.SessionId) == sessionId)
            .ToArray();
        var backend = backendSpans
            ? (await env.Telemetry.WaitForSpansAsync(ResourceNames.Backend, null, "token.refresh", count + Warmup, TimeSpan.FromSeconds(60),
                s => s.Attributes.GetValueOrDefault("session.id") == sessionId)).Skip(Warmup).ToArray()
            : [];
        var disconnects = 0;
        while (session.ConnectionEvents.TryRead(out var change))
        {
            if (change is Disconnected) disconnects++;
        }
        var rejected = backend.Count(s => s.Attributes.ContainsKey("error.type"))
            + clientSpans.Count(a => a.Status == ActivityStatusCode.Error);
        return new RefreshResult(Histogram(clientSpans.Select(a => a.Duration)), Histogram(backend.Select(s => s.Duration)),
            session.TokenRefreshes - refreshesBefore, disconnects, rejected, disconnects == 0 && rejected == 0 && clientSpans.Length == count);
    }

    private static LongHistogram Histogram(IEnumerable<TimeSpan> durations)
    {
        var histogram = new LongHistogram(TimeStamp.Minutes(10), 3);
        foreach (var duration in durations) histogram.RecordValue(Math.Max(1, duration.Ticks / 10)); // µs
        return histogram;
    }
}
