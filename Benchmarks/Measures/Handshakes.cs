using System.Diagnostics;
using AspireResilience.Benchmarks.Baselines;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Measures;

/// <summary>
/// A fresh connect and handshake on the floor (TCP + WebSocket upgrade + <c>hello</c> → <c>welcome</c>)
/// and on the peer (negotiate + WebSocket + SignalR handshake), each the whole call a client makes.
/// Ours is the client's <c>client.connect</c> span (see <c>ResumeRun</c>).
/// </summary>
internal static class Handshakes
{
    private const int Warmup = 20;

    public static Task<LongHistogram> FloorAsync(BaselineServer server, int count, CancellationToken cancellationToken) =>
        TimeAsync(async () => await FloorConnection.ConnectAsync(server.Floor, cancellationToken), count);

    public static Task<LongHistogram> PeerAsync(BaselineServer server, int count, CancellationToken cancellationToken) =>
        TimeAsync(async () => await PeerConnection.ConnectAsync(server.Hub, cancellationToken), count);

    private static async Task<LongHistogram> TimeAsync(Func<Task<IAsyncDisposable>> connect, int count)
    {
        var histogram = Micros.NewHistogram();
        for (var i = -Warmup; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = await connect();
            if (i >= 0) Micros.Record(histogram, started, Stopwatch.GetTimestamp());
        }
        return histogram;
    }
}
