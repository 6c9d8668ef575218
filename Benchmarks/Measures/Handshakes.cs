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

    public static async Task<LongHistogram> FloorAsync(BaselineServer server, int count, CancellationToken cancellationToken)
    {
        var histogram = Micros.NewHistogram();
        for (var i = -Warmup; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = await FloorConnection.ConnectAsync(server.Floor, cancellationToken);
            if (i >= 0) Micros.Record(histogram, started, Stopwatch.GetTimestamp());
        }
        return histogram;
    }

    public static async Task<LongHistogram> PeerAsync(BaselineServer server, int count, CancellationToken cancellationToken)
    {
        var histogram = Micros.NewHistogram();
        for (var i = -Warmup; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = await PeerConnection.ConnectAsync(server.Hub, cancellationToken);
            if (i >= 0) Micros.Record(histogram, started, Stopwatch.GetTimestamp());
        }
        return histogram;
    }
}
