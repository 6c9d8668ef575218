using AspireResilience.Backend.Sessions;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Sends a session's outbox to its connection in seq order. It pulls from Redis whenever it is
/// woken (an event was appended anywhere) and at a poll interval, so replay and live delivery
/// are one loop: events that arrive during a replay simply come after it, never interleaved.
/// </summary>
/// <param name="replayThrough">The last seq of the replay the welcome announced (below <paramref name="nextSeq"/>: none).</param>
/// <param name="replayed">Called once every replayed event is written to the socket.</param>
public sealed class OutboxPump(SessionStore store, FrameSender sender, string sessionId, long nextSeq, long replayThrough, Action replayed, TimeSpan pollInterval)
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _next = nextSeq;

    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { /* already awake */ }
    }

    /// <returns>A close code when the connection cannot go on (its backlog overflowed the outbox cap).</returns>
    public async Task<int?> RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await store.ReadAsync(sessionId, _next);
            if (batch.Count > 0 && batch[0].Seq != _next)
            {
                // The cap dropped events this connection had not sent: reconnecting yields an explicit "gap".
                return CloseCodes.TryAgainLater;
            }
            foreach (var e in batch)
            {
                await sender.SendAsync(new EventMessage(e.Seq, e.Kind, e.Index, e.Text, e.RunId, e.Chain), cancellationToken);
                _next = e.Seq + 1;
                if (e.Seq == replayThrough) replayed();
            }
            if (batch.Count == 0)
            {
                await _wake.WaitAsync(pollInterval, cancellationToken);
            }
        }
        return null;
    }
}
