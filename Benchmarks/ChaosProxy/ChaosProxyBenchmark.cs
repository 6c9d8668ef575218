using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AspireResilience.ChaosProxy.Proxies;
using AspireResilience.ChaosProxy.Telemetry;
using HdrHistogram;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireResilience.Benchmarks.ChaosProxy;

/// <summary>
/// ChaosProxy's own cost, against a direct loopback connection in the same run: (a) round-trip
/// latency of small messages through an echo, (b) throughput of a one-way bulk transfer into a
/// sink. Direct and proxied runs alternate so drift of the machine affects both alike.
/// </summary>
internal sealed class ChaosProxyBenchmark : IBenchmark
{
    private const int MessageSize = 64;
    private const int WarmUpRoundTrips = 2_000;
    private const int Rounds = 2;
    private const int BulkRepetitions = 3;
    private const int BulkBufferSize = 64 * 1024;

    public string Verb => "chaosproxy";

    public string Description => "ChaosProxy overhead vs direct loopback: 64 B round trips (p50/p99/max) and bulk throughput. Options: --round-trips N --bulk-mib N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var roundTrips = BenchmarkArgs.Int(args, "--round-trips", 20_000);
        var bulkBytes = BenchmarkArgs.Int(args, "--bulk-mib", 256) * 1024L * 1024L;

        var result = await MeasureAsync(roundTrips, bulkBytes, cancellationToken);
        var report = Render(roundTrips, bulkBytes, result.Direct, result.Proxied, result.DirectRate, result.ProxiedRate);
        await BenchmarkReport.PublishAsync("chaosproxy.md", report, cancellationToken);
        return 0;
    }

    /// <summary>Round trips (ns) and bulk rates (MB/s, median of <see cref="BulkRepetitions"/>), direct and through the proxy.</summary>
    public sealed record Result(LongHistogram Direct, LongHistogram Proxied, double DirectRate, double ProxiedRate);

    public static async Task<Result> MeasureAsync(int roundTrips, long bulkBytes, CancellationToken cancellationToken)
    {
        using var servers = new LoopbackServers();
        using var telemetry = new ChaosProxyTelemetry();
        await using var registry = new ProxyRegistry(new ProxyEnvironment(
            TimeProvider.System, Random.Shared.NextDouble, telemetry, NullLoggerFactory.Instance, TimeSpan.FromSeconds(5)));
        var echoProxy = await CreateProxyAsync(registry, "echo", servers.Echo, cancellationToken);
        var sinkProxy = await CreateProxyAsync(registry, "sink", servers.Sink, cancellationToken);

        Console.Error.WriteLine($"round trips: {roundTrips:N0} x {MessageSize} B each way, direct and proxied...");
        var direct = NewHistogram();
        var proxied = NewHistogram();
        await RoundTripsAsync(servers.Echo, WarmUpRoundTrips, null, cancellationToken);
        await RoundTripsAsync(echoProxy, WarmUpRoundTrips, null, cancellationToken);
        for (var round = 0; round < Rounds; round++)
        {
            await RoundTripsAsync(servers.Echo, roundTrips / Rounds, direct, cancellationToken);
            await RoundTripsAsync(echoProxy, roundTrips / Rounds, proxied, cancellationToken);
        }

        Console.Error.WriteLine($"bulk: {bulkBytes / (1024 * 1024)} MiB one way, {BulkRepetitions} times each...");
        await BulkAsync(servers.Sink, bulkBytes / 8, cancellationToken);
        await BulkAsync(sinkProxy, bulkBytes / 8, cancellationToken);
        var directRates = new List<double>();
        var proxiedRates = new List<double>();
        for (var repetition = 0; repetition < BulkRepetitions; repetition++)
        {
            directRates.Add(await BulkAsync(servers.Sink, bulkBytes, cancellationToken));
            proxiedRates.Add(await BulkAsync(sinkProxy, bulkBytes, cancellationToken));
        }

        return new Result(direct, proxied, Median(directRates), Median(proxiedRates));
    }

    private static async Task<IPEndPoint> CreateProxyAsync(ProxyRegistry registry, string name, IPEndPoint upstream, CancellationToken cancellationToken)
    {
        var proxy = await registry.CreateAsync(
            new ProxyDefinition(name, new IPEndPoint(IPAddress.Loopback, 0), new HostPort("127.0.0.1", upstream.Port), Enabled: true),
            cancellationToken);
        return IPEndPoint.Parse(proxy!.Listen);
    }

    // Each round trip: 64 B out, 64 B back; recorded in nanoseconds.
    private static async Task RoundTripsAsync(IPEndPoint target, int count, LongHistogram? histogram, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(target, cancellationToken);
        var request = new byte[MessageSize];
        var response = new byte[MessageSize];
        for (var i = 0; i < count; i++)
        {
            request[0] = (byte)i;
            var started = Stopwatch.GetTimestamp();
            await socket.SendAsync(request.AsMemory(), SocketFlags.None, cancellationToken);
            for (var received = 0; received < MessageSize;)
            {
                var read = await socket.ReceiveAsync(response.AsMemory(received), SocketFlags.None, cancellationToken);
                received += read > 0 ? read : throw new InvalidOperationException("echo closed early");
            }

            histogram?.RecordValue((long)Stopwatch.GetElapsedTime(started).TotalNanoseconds);
            if (response[0] != request[0])
            {
                throw new InvalidOperationException("echo answered out of order");
            }
        }
    }

    // Sends `bytes` and waits for the sink's count (the last byte has arrived); returns MB/s (10^6 bytes).
    private static async Task<double> BulkAsync(IPEndPoint target, long bytes, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(target, cancellationToken);
        var buffer = new byte[BulkBufferSize];
        Random.Shared.NextBytes(buffer);
        var started = Stopwatch.GetTimestamp();
        for (var sent = 0L; sent < bytes;)
        {
            var chunk = (int)Math.Min(buffer.Length, bytes - sent);
            sent += await socket.SendAsync(buffer.AsMemory(0, chunk), SocketFlags.None, cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
        var answer = new byte[8];
        for (var received = 0; received < answer.Length;)
        {
            received += await socket.ReceiveAsync(answer.AsMemory(received), SocketFlags.None, cancellationToken);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var counted = BinaryPrimitives.ReadInt64LittleEndian(answer);
        return counted == bytes ? bytes / 1e6 / seconds : throw new InvalidOperationException($"sink counted {counted} of {bytes} bytes");
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(target, cancellationToken);
        return socket;
    }

    private static string Render(int roundTrips, long bulkBytes, LongHistogram direct, LongHistogram proxied, double directRate, double proxiedRate)
    {
        static string Us(double nanoseconds) => (nanoseconds / 1000).ToString("F1", CultureInfo.InvariantCulture);
        static string Row(string label, LongHistogram h) =>
            $"| {label} | {Us(h.GetValueAtPercentile(50))} | {Us(h.GetValueAtPercentile(99))} | {Us(h.GetValueAtPercentile(99.9))} | {Us(h.GetMaxValue())} |";

        var report = new StringBuilder()
            .AppendLine("# ChaosProxy overhead (loopback, no toxics)")
            .AppendLine()
            .AppendLine($"Machine: {BenchmarkReport.MachineLine()}. Client, proxy and servers share one process and the same cores.")
            .AppendLine()
            .AppendLine($"## Round trip, {MessageSize} B request / {MessageSize} B response, {roundTrips:N0} round trips after {WarmUpRoundTrips:N0} warm-up")
            .AppendLine()
            .AppendLine("| path | p50 µs | p99 µs | p99.9 µs | max µs |")
            .AppendLine("|---|---:|---:|---:|---:|")
            .AppendLine(Row("direct", direct))
            .AppendLine(Row("through ChaosProxy", proxied))
            .AppendLine(CultureInfo.InvariantCulture, $"| **added by the proxy** | **{Us(proxied.GetValueAtPercentile(50) - direct.GetValueAtPercentile(50))}** | **{Us(proxied.GetValueAtPercentile(99) - direct.GetValueAtPercentile(99))}** | {Us(proxied.GetValueAtPercentile(99.9) - direct.GetValueAtPercentile(99.9))} | |")
            .AppendLine()
            .AppendLine($"## Bulk transfer, {bulkBytes / (1024 * 1024)} MiB one way (median of {BulkRepetitions})")
            .AppendLine()
            .AppendLine("| path | MB/s |")
            .AppendLine("|---|---:|")
            .AppendLine(CultureInfo.InvariantCulture, $"| direct | {directRate:F0} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| through ChaosProxy | {proxiedRate:F0} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| **proxied / direct** | **{proxiedRate / directRate:P0}** |");
        return report.ToString();
    }

    private static LongHistogram NewHistogram() => new(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: 3);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

}
