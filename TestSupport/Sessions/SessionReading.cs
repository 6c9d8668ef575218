using System.Text;
using AspireResilience.Client;
using AspireResilience.Protocol;

namespace AspireResilience.TestSupport.Sessions;

/// <summary>
/// Reads what a session received and checks the delivery contract on the way: a breach throws
/// <see cref="DeliveryContractException"/>, so a test, a benchmark or the soak fails on it alike.
/// </summary>
public static class SessionReading
{
    /// <summary>
    /// Reads events until <paramref name="runId"/> ends, checking that seqs are consecutive
    /// (from <paramref name="expectedFirstSeq"/>, if given) and that the run's indices run
    /// 0..n+1 without a hole or a repeat.
    /// </summary>
    public static async Task<Answer> ReadAnswerAsync(this ResilientSession session, string runId, long? expectedFirstSeq = null,
        Action<EventMessage>? onEvent = null, CancellationToken cancellationToken = default) =>
        (await session.ReadAnswersAsync([runId], expectedFirstSeq, onEvent, cancellationToken))[runId];

    /// <summary>
    /// Reads events until every run in <paramref name="runIds"/> ended, checking that seqs are
    /// consecutive and that each run's indices run 0..n+1 without a hole or a repeat, however
    /// the runs interleave.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, Answer>> ReadAnswersAsync(this ResilientSession session, IReadOnlyCollection<string> runIds,
        long? expectedFirstSeq = null, Action<EventMessage>? onEvent = null, CancellationToken cancellationToken = default)
    {
        var cancel = Linked(cancellationToken);
        var runs = runIds.ToDictionary(id => id, _ => (Text: new StringBuilder(), Events: new List<EventMessage>()));
        var answers = new Dictionary<string, Answer>();
        var previousSeq = expectedFirstSeq - 1;
        while (answers.Count < runs.Count)
        {
            var e = await session.Events.ReadAsync(cancel);
            if (previousSeq is { } p && e.Seq != p + 1)
                throw new DeliveryContractException($"seq must grow by exactly one: expected {p + 1}, got {e.Seq}");
            previousSeq = e.Seq;
            onEvent?.Invoke(e);
            if (e.RunId is null || !runs.TryGetValue(e.RunId, out var run)) continue;
            if (answers.ContainsKey(e.RunId))
                throw new DeliveryContractException($"run {e.RunId}: an event after its end (index {e.Index})");
            if (e.Index != run.Events.Count)
                throw new DeliveryContractException($"run {e.RunId}: index must be continuous: expected {run.Events.Count}, got {e.Index}");
            run.Events.Add(e);
            if (e.Kind == EventKinds.StreamChunk) run.Text.Append(e.Text);
            if (e.Kind == EventKinds.StreamEnd) answers[e.RunId] = new Answer(run.Text.ToString(), run.Events);
        }
        return answers;
    }

    /// <summary>Waits until the session notices its link dropped.</summary>
    public static async Task<Disconnected> WaitForDisconnectAsync(this ResilientSession session, CancellationToken cancellationToken = default)
    {
        var cancel = Linked(cancellationToken);
        while (true)
        {
            var change = await session.ConnectionEvents.ReadAsync(cancel);
            if (change is Disconnected d) return d;
            ThrowIfEnded(change);
        }
    }

    /// <summary>Waits for the next welcome of at least <paramref name="generation"/> (1 is the first connection).</summary>
    public static async Task<WelcomeMessage> WaitForWelcomeAsync(this ResilientSession session, int generation, CancellationToken cancellationToken = default)
    {
        var cancel = Linked(cancellationToken);
        while (true)
        {
            var change = await session.ConnectionEvents.ReadAsync(cancel);
            if (change is Welcomed w && w.Generation >= generation) return w.Welcome;
            ThrowIfEnded(change);
        }
    }

    /// <summary>Reads connection events until one satisfies <paramref name="until"/>; returns every event read, that one last.</summary>
    public static async Task<IReadOnlyList<ConnectionEvent>> ReadConnectionEventsAsync(this ResilientSession session, Func<ConnectionEvent, bool> until,
        CancellationToken cancellationToken = default)
    {
        var cancel = Linked(cancellationToken);
        var read = new List<ConnectionEvent>();
        while (true)
        {
            var change = await session.ConnectionEvents.ReadAsync(cancel);
            read.Add(change);
            if (until(change)) return read;
            ThrowIfEnded(change);
        }
    }

    private static void ThrowIfEnded(ConnectionEvent change)
    {
        if (change is Ended ended) throw new DeliveryContractException($"session ended with {ended.CloseCode}: {ended.Reason}");
    }

    private static CancellationToken Linked(CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Timeouts.Token()).Token;
}
