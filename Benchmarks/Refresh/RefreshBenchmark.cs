using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.Client;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Sessions;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Refresh;

/// <summary>
/// In-band token refresh on one live session against the real AppHost: each sample is one
/// <see cref="ResilientSession.RefreshTokenAsync"/> (a refresh-token grant at the AuthService, then
/// <c>refresh</c> → <c>refreshed</c> on the socket), timed by the client's <c>client.token.refresh</c>
/// span (the in-band part) and the Backend's <c>token.refresh</c> span (validation and answer).
/// DESIGN §10's goal: p99 &lt; 10 ms, zero disconnects in 1,000.
/// </summary>
internal sealed class RefreshBenchmark : IBenchmark
{
    // Under the gateway's 50 client frames per second: the benchmark measures refreshes, not the flood limit.
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(25);

    public string Verb => "refresh";

    public string Description => "In-band token refresh latency and disconnects on a live session (client and backend spans). Options: --count N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = BenchmarkArgs.Int(args, "--count", 1000);
        Console.Error.WriteLine("starting the AppHost...");
        await using var env = await TestEnvironment.StartAsync(new EnvironmentOptions
        {
            Name = "benchrefresh",
            UserPoolSize = 1,
            BackendReplicas = 1,
            // One user refreshes 40 times a second: above the token endpoint's per-address limit,
            // which is not what is measured here.
            Configure = builder => builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth)
                .WithEnvironment("Auth__RateLimits__PerAddressPermitLimit", "1000000"),
        }, cancellationToken);

        // The Backend's own address: ChaosProxy is the suites' fault-injection hop, not part of
        // the path a refresh takes in production, and its copy loop would be measured too.
        await using var client = await SessionFactory.ConnectAsync(env, endpoint: env.BackendReplicaWebSockets[0]);
        var session = client.Session;
        var sessionId = session.SessionId;
        using var pace = new PeriodicTimer(Pace);
        const int warmup = 20;
        Console.Error.WriteLine($"{warmup} warm-up and {count} measured refreshes...");
        env.ClientSpans.Clear();
        for (var i = -warmup; i < count; i++)
        {
            if (i == 0) env.ClientSpans.Clear();
            await session.RefreshTokenAsync(cancellationToken);
            await pace.WaitForNextTickAsync(cancellationToken);
        }

        var clientSpans = env.ClientSpans.Finished
            .Where(a => a.OperationName == ClientTelemetry.TokenRefreshSpan && (string?)a.GetTagItem(ClientTelemetry.SessionId) == sessionId)
            .ToArray();
        var backendSpans = (await env.Telemetry.WaitForSpansAsync(ResourceNames.Backend, null, "token.refresh", count + warmup, TimeSpan.FromSeconds(60),
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId)).Skip(warmup).ToArray();
        var disconnects = 0;
        while (session.ConnectionEvents.TryRead(out var change))
        {
            if (change is Disconnected) disconnects++;
        }

        var rejected = backendSpans.Count(s => s.Attributes.ContainsKey("error.type"))
            + clientSpans.Count(a => a.Status == ActivityStatusCode.Error);
        var rows = new List<(string Name, LongHistogram Histogram)>
        {
            ("client: refresh sent → refreshed received (client.token.refresh)", Histogram(clientSpans.Select(a => a.Duration))),
            ("backend: validate + answer (token.refresh)", Histogram(backendSpans.Select(s => s.Duration))),
        };
        await BenchmarkReport.PublishAsync("refresh.md", Render(rows, count, session.TokenRefreshes, disconnects, rejected), cancellationToken);
        return disconnects == 0 && rejected == 0 && clientSpans.Length == count ? 0 : 1;
    }

    private static LongHistogram Histogram(IEnumerable<TimeSpan> durations)
    {
        var histogram = new LongHistogram(TimeStamp.Minutes(10), 3);
        foreach (var duration in durations) histogram.RecordValue(Math.Max(1, duration.Ticks / 10)); // µs
        return histogram;
    }

    private static string Render(List<(string Name, LongHistogram Histogram)> rows, int count, long refreshes, int disconnects, int rejected)
    {
        static string Ms(long micros) => (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .AppendLine("# In-band token refresh (real AppHost, spans)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkReport.MachineLine()}.")
            .AppendLine(CultureInfo.InvariantCulture, $"{count} refreshes on one live session (after 20 warm-up), one every {Pace.TotalMilliseconds} ms at most; each preceded by a refresh-token grant at the AuthService, which the spans do not include.")
            .AppendLine()
            .AppendLine("| span | n | p50 ms | p90 ms | p99 ms | max ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {h.TotalCount} | {Ms(h.GetValueAtPercentile(50))} | {Ms(h.GetValueAtPercentile(90))} | {Ms(h.GetValueAtPercentile(99))} | {Ms(h.GetMaxValue())} |");
        }
        return text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Refreshes confirmed by the client: {refreshes}; rejected: {rejected}; disconnects: **{disconnects}**.")
            .AppendLine("Goal (DESIGN §10): p99 < 10 ms, zero disconnects in 1,000.")
            .ToString();
    }
}
