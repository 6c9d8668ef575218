using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.Client;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Auth;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Sessions;
using AspireResilience.TestSupport.Telemetry;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Resume;

/// <summary>
/// Disconnect → resumed against the real AppHost, timed by the client's own spans
/// (<c>client.reconnect</c>; the baseline is <c>client.connect</c> of a fresh session, measured in
/// the same run): backend alive (direct and through ChaosProxy; with the reconnect jitter off to
/// see the mechanism's cost, and on as users get it), graceful backend restart, SIGKILL + start.
/// </summary>
internal sealed class ResumeBenchmark : IBenchmark
{
    public string Verb => "resume";

    public string Description => "Disconnect → resumed latency against the real AppHost (from client spans). Options: --cycles N --restarts N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var cycles = BenchmarkArgs.Int(args, "--cycles", 300);
        var restarts = BenchmarkArgs.Int(args, "--restarts", 5);
        Console.Error.WriteLine("starting the AppHost...");
        var started = Stopwatch.GetTimestamp();
        await using var env = await TestEnvironment.StartAsync(new EnvironmentOptions
        {
            Name = "bench",
            UserPoolSize = 1,
            // The restart rows measure the one process coming back.
            BackendReplicas = 1,
            Configure = builder =>
            {
                // Resume timings must not include a login: one token serves the whole run.
                builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth)
                    .WithEnvironment("Auth__AccessTokenLifetime", "01:00:00");
                // Hundreds of back-to-back resumes of one session are this benchmark's point, not flapping: no 4029.
                builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
                    .WithEnvironment("Gateway__ReconnectsPerSession", "0")
                    .WithEnvironment("Gateway__ReconnectsPerUser", "0");
            },
        }, cancellationToken);
        var startup = Stopwatch.GetElapsedTime(started);
        var (user, password) = env.Users.Next();
        var tokens = new UserTokens(env.Tokens, user, password);
        var run = new Run(env, tokens, env.ClientSpans);

        var rows = new List<(string Name, LongHistogram Histogram)>();
        Console.Error.WriteLine($"fresh connects and resumes: {cycles} each...");
        rows.Add(("fresh connect (baseline, direct)", await run.FreshConnectsAsync(cycles, cancellationToken)));
        rows.Add(("resume, backend alive, direct, no jitter", await run.ResumesAsync(env.BackendWebSocketDirect, TimeSpan.Zero, cycles, cancellationToken)));
        rows.Add(("resume, backend alive, via ChaosProxy, no jitter", await run.ResumesAsync(env.BackendWebSocket, TimeSpan.Zero, cycles, cancellationToken)));
        rows.Add(("resume, backend alive, direct, default jitter (≤100 ms)", await run.ResumesAsync(env.BackendWebSocketDirect, TimeSpan.FromMilliseconds(100), cycles, cancellationToken)));
        Console.Error.WriteLine($"graceful restarts and kills: {restarts} each...");
        rows.Add(("resume after graceful backend restart", await run.AfterFaultAsync(restarts, () => env.Faults.RestartAsync(ResourceNames.Backend), cancellationToken)));
        rows.Add(("resume after backend SIGKILL + start", await run.AfterFaultAsync(restarts, async () =>
            await env.Faults.StartAsync(ResourceNames.Backend, await env.Faults.KillAsync(ResourceNames.Backend)), cancellationToken)));

        await BenchmarkReport.PublishAsync("resume.md", Render(rows, startup), cancellationToken);
        return 0;
    }

    /// <summary>One benchmark run's measurements, each timed by the client's own span.</summary>
    private sealed class Run(TestEnvironment env, UserTokens tokens, ClientSpanRecorder spans)
    {
        private static readonly TimeSpan SpanTimeout = TimeSpan.FromSeconds(60);

        public async Task<LongHistogram> FreshConnectsAsync(int count, CancellationToken cancellationToken)
        {
            var histogram = NewHistogram();
            var options = Options(env.BackendWebSocketDirect, TimeSpan.Zero);
            for (var i = -20; i < count; i++) // the first 20 warm up
            {
                spans.Clear();
                await using var session = await ResilientSession.ConnectAsync(options, cancellationToken);
                var span = await spans.WaitForAsync("client.connect", SpanTimeout, cancellationToken);
                if (i >= 0) Record(histogram, span.Duration);
            }
            return histogram;
        }

        public async Task<LongHistogram> ResumesAsync(Uri endpoint, TimeSpan jitter, int count, CancellationToken cancellationToken)
        {
            var histogram = NewHistogram();
            await using var session = await ResilientSession.ConnectAsync(Options(endpoint, jitter), cancellationToken);
            var generation = 1;
            await session.WaitForWelcomeAsync(generation, cancellationToken);
            for (var i = -20; i < count; i++)
            {
                spans.Clear();
                session.AbortConnection();
                await session.WaitForWelcomeAsync(++generation, cancellationToken);
                var span = await spans.WaitForAsync("client.reconnect", SpanTimeout, cancellationToken);
                if (i >= 0) Record(histogram, span.Duration);
            }
            return histogram;
        }

        public async Task<LongHistogram> AfterFaultAsync(int count, Func<Task> fault, CancellationToken cancellationToken)
        {
            var histogram = NewHistogram();
            await using var session = await ResilientSession.ConnectAsync(Options(env.BackendWebSocketDirect, TimeSpan.FromMilliseconds(100)), cancellationToken);
            var generation = 1;
            await session.WaitForWelcomeAsync(generation, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                spans.Clear();
                await fault();
                await session.WaitForWelcomeAsync(++generation, cancellationToken);
                Record(histogram, (await spans.WaitForAsync("client.reconnect", SpanTimeout, cancellationToken)).Duration);
            }
            return histogram;
        }

        private ResilientSessionOptions Options(Uri endpoint, TimeSpan jitter) => new()
        {
            Endpoint = endpoint,
            AccessTokenProvider = tokens.GetAsync,
            ReconnectBaseDelay = jitter,
        };
    }

    private static LongHistogram NewHistogram() => new(TimeStamp.Minutes(10), 3);

    private static void Record(LongHistogram histogram, TimeSpan duration) => histogram.RecordValue(Math.Max(1, duration.Ticks / 10)); // µs

    private static string Render(List<(string Name, LongHistogram Histogram)> rows, TimeSpan startup)
    {
        static string Ms(long micros) => (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .AppendLine("# Disconnect → resumed (real AppHost, client spans)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkReport.MachineLine()}. AppHost start to all resources healthy: {startup.TotalSeconds:F1} s.")
            .AppendLine("Each figure is the duration of the client's `client.reconnect` span (drop noticed → `welcome` received), or `client.connect` for the baseline.")
            .AppendLine()
            .AppendLine("| scenario | n | p50 ms | p90 ms | p99 ms | max ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {h.TotalCount} | {Ms(h.GetValueAtPercentile(50))} | {Ms(h.GetValueAtPercentile(90))} | {Ms(h.GetValueAtPercentile(99))} | {Ms(h.GetMaxValue())} |");
        }
        var baseline = rows[0].Histogram.GetValueAtPercentile(50);
        var resume = rows[1].Histogram.GetValueAtPercentile(50);
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Resume (no jitter, direct) p50 / fresh connect p50: {(double)resume / baseline:F2}.");
        return text.ToString();
    }

}
