using System.Diagnostics;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

/// <summary>
/// Protocol v1.1's continuity check: every event must continue the running chain
/// (<see cref="EventChain"/>), so what the application receives is provably the history the
/// server stored for this session, in order. A break is a contract breach: the event is not
/// delivered, the link is dropped and the session resumes (the server then answers
/// <c>diverged</c> with a snapshot if its own history is the broken one).
/// </summary>
public sealed partial class ResilientSession
{
    private string? _chain;
    private bool _verifyChain;
    private ChainMismatch? _pendingMismatch;

    /// <summary>The chain at <see cref="LastSeq"/> (sent as <c>lastChain</c> on resume); null while unknown (a v1 server).</summary>
    public string? LastChain => Volatile.Read(ref _chain);

    /// <summary>Events (or snapshots) refused because they broke the chain. Zero unless the server's history was corrupted.</summary>
    public long ChainMismatches { get; private set; }

    /// <summary>Sets the running chain from a <c>welcome</c>: a fresh session starts at its genesis; a resume keeps ours (the server checked it) or adopts the server's when we had none.</summary>
    private void OnWelcomeChain(WelcomeMessage welcome)
    {
        // A v1 server sends no chain: nothing to verify against.
        _verifyChain = welcome.Chain is not null;
        if (!welcome.Resumed) Volatile.Write(ref _chain, _verifyChain ? EventChain.Genesis(welcome.SessionId) : null);
        else if (_chain is null) Volatile.Write(ref _chain, welcome.Chain);
    }

    /// <returns>false when <paramref name="e"/> does not continue the chain (it is then reported, not delivered).</returns>
    private bool ChainAccepts(EventMessage e)
    {
        if (!_verifyChain || _chain is not { } previous) return true;
        var expected = EventChain.Next(previous, e);
        if (e.Chain != expected)
        {
            ReportMismatch(new ChainMismatch(SessionId, e.Seq, expected, e.Chain));
            return false;
        }
        Volatile.Write(ref _chain, expected);
        return true;
    }

    /// <returns>false when the snapshot's chain does not match its turns (it is then reported, not delivered).</returns>
    private bool OnSnapshot(SnapshotMessage snapshot)
    {
        var expected = EventChain.OfSnapshot(snapshot.SessionId, snapshot.Turns, snapshot.Truncated);
        if (snapshot.Chain != expected)
        {
            ReportMismatch(new ChainMismatch(snapshot.SessionId, 0, expected, snapshot.Chain));
            return false;
        }
        _connection.Writer.TryWrite(new SnapshotReceived(snapshot));
        return true;
    }

    private void ReportMismatch(ChainMismatch mismatch)
    {
        ChainMismatches++;
        _pendingMismatch = mismatch;
        _connection.Writer.TryWrite(mismatch);
    }

    /// <summary>Puts the breach that dropped the link on the reconnect's span: an attribute to filter by and an event with the details.</summary>
    private void TagMismatch(Activity? activity)
    {
        if (Interlocked.Exchange(ref _pendingMismatch, null) is not { } m || activity is null) return;
        activity.SetTag(ClientTelemetry.ChainMismatchSeq, m.Seq);
        activity.AddEvent(new ActivityEvent(ClientTelemetry.ChainMismatchEvent, tags: new ActivityTagsCollection
        {
            [ClientTelemetry.SessionId] = m.SessionId,
            [ClientTelemetry.ChainMismatchSeq] = m.Seq,
            [ClientTelemetry.ChainExpected] = m.Expected,
            [ClientTelemetry.ChainReceived] = m.Received ?? "",
        }));
    }
}
