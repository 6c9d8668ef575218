using System.Diagnostics;
using AspireResilience.Benchmarks.Baselines;
using AspireResilience.Client;
using AspireResilience.TestSupport.Sessions;

namespace AspireResilience.Benchmarks.Measures;

/// <summary>
/// Streamed events per second, delivered exactly once: <c>connections</c> clients each ask for one
/// answer of <c>chunks</c> chunks at once, and the rate is every event read (each checked to follow
/// the last) over the time from the first request to the last end. The floor and the peer stream
/// the same frames as ours; ours goes through the Backend and Redis (AOF on, agent delay 0).
/// </summary>
internal static class Throughput
{
    public static async Task<double> FloorAsync(BaselineServer server, int connections, int chunks, CancellationToken cancellationToken)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => FloorConnection.ConnectAsync(server.Floor, cancellationToken)));
        try
        {
            return await RateAsync(clients.Select(c => (Func<Task<int>>)(() => c.StreamAsync($"t-{Guid.NewGuid():N}", chunks, cancellationToken))));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    public static async Task<double> PeerAsync(BaselineServer server, int connections, int chunks, CancellationToken cancellationToken)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => PeerConnection.ConnectAsync(server.Hub, cancellationToken)));
        try
        {
            return await RateAsync(clients.Select(c => (Func<Task<int>>)(async () =>
            {
                var read = 0L;
                await foreach (var e in c.StreamAsync($"t-{Guid.NewGuid():N}", chunks, 0, cancellationToken))
                {
                    if (e.Seq != ++read) throw new InvalidOperationException($"peer: seq {e.Seq} where {read} was due");
                }
                return (int)read;
            })));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    /// <summary>Ours: live <paramref name="sessions"/> each send one prompt; the Backend's agent streams its answer with no delay.</summary>
    public static async Task<double> OursAsync(IReadOnlyList<ResilientSession> sessions, CancellationToken cancellationToken) =>
        await RateAsync(sessions.Select(s => (Func<Task<int>>)(async () =>
        {
            var runId = $"t-{Guid.NewGuid():N}";
            // Before sending: the first events may arrive before the send returns.
            var firstSeq = s.LastSeq + 1;
            await s.SendPromptAsync(runId, runId, cancellationToken);
            var answer = await s.ReadAnswerAsync(runId, firstSeq, cancellationToken: cancellationToken);
            return answer.Events.Count;
        })));

    /// <summary>One round to warm up (JIT, pools, Redis scripts), then the measured one.</summary>
    private static async Task<double> RateAsync(IEnumerable<Func<Task<int>>> streams)
    {
        var rounds = streams.ToArray();
        await Task.WhenAll(rounds.Select(s => s()));
        var started = Stopwatch.GetTimestamp();
        var events = await Task.WhenAll(rounds.Select(s => s()));
        return events.Sum() / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
