using System.Diagnostics;
using AspireResilience.Benchmarks.Baselines;
using AspireResilience.Benchmarks.Faults;
using AspireResilience.Client;
using AspireResilience.Protocol;
using HdrHistogram;

namespace AspireResilience.Benchmarks.Measures;

/// <summary>
/// The same fault for ours and the peer: mid-stream, the client's TCP connection is reset from
/// under it (<see cref="TrackedConnector.Reset"/>: its socket closed with a zero linger, a RST and
/// a failed read, no close frame), and the sample is the time from the reset to the first event
/// the old socket had not delivered. Every stream is then read to its end and checked: each seq
/// follows the last and each index the last, so nothing is lost or delivered twice.
/// </summary>
internal static class KillToNextEvent
{
    /// <summary>Events of the stream the client reads before its socket is killed.</summary>
    private const int KillAfterEvents = 20;

    /// <param name="Latency">Kill → next event, µs.</param>
    /// <param name="Intact">Streams read to their end with nothing lost or repeated.</param>
    public sealed record Result(LongHistogram Latency, int Intact, int Streams);

    /// <summary>Ours: one <see cref="ResilientSession"/> (reconnect jitter off: the mechanism, not the back-off), one run per sample.</summary>
    public static async Task<Result> OursAsync(Uri endpoint, Func<bool, CancellationToken, ValueTask<string>> tokens, int streams, CancellationToken cancellationToken)
    {
        var connector = new TrackedConnector();
        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = endpoint,
            AccessTokenProvider = tokens,
            ReconnectBaseDelay = TimeSpan.Zero,
            Connector = (path, token) => connector.ConnectAsync(path.Endpoint, token),
        }, cancellationToken);
        var result = new Result(Micros.NewHistogram(), 0, streams);
        var intact = 0;
        for (var i = 0; i < streams; i++)
        {
            var runId = $"kill-{Guid.NewGuid():N}";
            // Before sending: the first events may arrive before the send returns.
            long previousSeq = session.LastSeq, killedAt = 0, nextAfter = long.MaxValue;
            await session.SendPromptAsync(runId, runId, cancellationToken);
            var index = 0;
            var ok = true;
            while (true)
            {
                var e = await session.Events.ReadAsync(cancellationToken);
                if (e.Seq != previousSeq + 1 || (e.RunId == runId && e.Index != index))
                {
                    Console.Error.WriteLine($"ours: stream {i}: seq {e.Seq} after {previousSeq}, run {e.RunId} index {e.Index} where {index} was due (session {session.SessionId}, epoch {session.Epoch})");
                    ok = false;
                }
                previousSeq = e.Seq;
                if (e.RunId != runId) continue;
                index++;
                if (e.Seq > nextAfter)
                {
                    Micros.Record(result.Latency, killedAt, Stopwatch.GetTimestamp());
                    nextAfter = long.MaxValue;
                }
                if (index == KillAfterEvents)
                {
                    killedAt = Stopwatch.GetTimestamp();
                    connector.Reset();
                    // What the old socket delivered before it died; the next event is the first past it.
                    nextAfter = session.LastSeq;
                }
                if (e.Kind == EventKinds.StreamEnd) break;
            }
            if (ok) intact++;
        }
        return result with { Intact = intact };
    }

    /// <summary>
    /// The peer: a SignalR connection with stateful reconnect per stream; its hub pauses each
    /// stream at the kill, then goes on. A fresh connection each time because only a connection's
    /// first reconnect is stateful: a second kill on the same connection was answered here with
    /// replays of the previous stream's items and a stalled stream. A stream that stalls for
    /// <see cref="StallLimit"/> counts as not intact.
    /// </summary>
    public static async Task<Result> PeerAsync(BaselineServer server, int chunks, int streams, CancellationToken cancellationToken)
    {
        var result = new Result(Micros.NewHistogram(), 0, streams);
        var intact = 0;
        for (var i = 0; i < streams; i++)
        {
            await using var peer = await PeerConnection.ConnectAsync(server.Hub, cancellationToken);
            var runId = $"kill-{Guid.NewGuid():N}";
            long previousSeq = 0, killedAt = 0;
            var ok = true;
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(StallLimit);
            try
            {
                await foreach (var e in peer.StreamAsync(runId, chunks, KillAfterEvents, stall.Token))
                {
                    ok &= e.Seq == previousSeq + 1 && e.Index == e.Seq - 1;
                    previousSeq = e.Seq;
                    if (e.Seq == KillAfterEvents + 1) Micros.Record(result.Latency, killedAt, Stopwatch.GetTimestamp());
                    if (e.Seq == KillAfterEvents)
                    {
                        killedAt = Stopwatch.GetTimestamp();
                        peer.Connector.Reset();
                        AnswerGates.Open(runId);
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine($"peer: stream {i} stalled at seq {previousSeq} after the kill");
                ok = false;
            }
            AnswerGates.Forget(runId);
            if (ok && previousSeq == chunks + 2) intact++;
        }
        return result with { Intact = intact };
    }

    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(15);
}
