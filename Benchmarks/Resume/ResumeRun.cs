using AspireResilience.Client;
using AspireResilience.Client.Tokens;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Sessions;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Resume;

/// <summary>One benchmark run's measurements, each timed by the client's own span.</summary>
internal sealed class ResumeRun(TestEnvironment env, UserTokens tokens, Uri endpoint)
{
    private static readonly TimeSpan SpanTimeout = TimeSpan.FromSeconds(60);

    public async Task<LongHistogram> FreshConnectsAsync(int count, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        var options = Options(endpoint, TimeSpan.Zero);
        for (var i = -20; i < count; i++) // the first 20 warm up
        {
            env.ClientSpans.Clear();
            await using var session = await ResilientSession.ConnectAsync(options, cancellationToken);
            var span = await env.ClientSpans.WaitForAsync("client.connect", SpanTimeout, cancellationToken);
            if (i >= 0) Record(histogram, span.Duration);
        }
        return histogram;
    }

    public async Task<LongHistogram> ResumesAsync(Uri target, TimeSpan jitter, int count, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        await using var session = await ResilientSession.ConnectAsync(Options(target, jitter), cancellationToken);
        var generation = 1;
        await session.WaitForWelcomeAsync(generation, cancellationToken);
        for (var i = -20; i < count; i++)
        {
            env.ClientSpans.Clear();
            session.AbortConnection();
            await session.WaitForWelcomeAsync(++generation, cancellationToken);
            var span = await env.ClientSpans.WaitForAsync("client.reconnect", SpanTimeout, cancellationToken);
            if (i >= 0) Record(histogram, span.Duration);
        }
        return histogram;
    }

    public async Task<LongHistogram> AfterFaultAsync(int count, Func<Task> fault, CancellationToken cancellationToken)
    {
        var histogram = NewHistogram();
        await using var session = await ResilientSession.ConnectAsync(Options(endpoint, TimeSpan.FromMilliseconds(100)), cancellationToken);
        var generation = 1;
        await session.WaitForWelcomeAsync(generation, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            env.ClientSpans.Clear();
            await fault();
            await session.WaitForWelcomeAsync(++generation, cancellationToken);
            Record(histogram, (await env.ClientSpans.WaitForAsync("client.reconnect", SpanTimeout, cancellationToken)).Duration);
        }
        return histogram;
    }

    private ResilientSessionOptions Options(Uri target, TimeSpan jitter) => new()
    {
        Endpoint = target,
        AccessTokenProvider = tokens.GetAsync,
        ReconnectBaseDelay = jitter,
    };

    private static LongHistogram NewHistogram() => new(TimeStamp.Minutes(10), 3);

    private static void Record(LongHistogram histogram, TimeSpan duration) => histogram.RecordValue(Math.Max(1, duration.Ticks / 10)); // µs
}
