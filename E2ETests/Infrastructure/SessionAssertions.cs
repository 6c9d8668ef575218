using System.Text;
using AspireResilience.Client;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>Reads what a session received and checks the delivery contract on it.</summary>
public static class SessionAssertions
{
    /// <summary>
    /// Reads events until <paramref name="runId"/> ends, checking on the way that seqs are
    /// consecutive and that the run's indices run 0..n+1 without a hole or a repeat.
    /// </summary>
    public static async Task<Answer> ReadAnswerAsync(this ResilientSession session, string runId, long? expectedFirstSeq = null, Action<EventMessage>? onEvent = null)
    {
        var cancel = Timeouts.Token();
        var text = new StringBuilder();
        var events = new List<EventMessage>();
        var previousSeq = expectedFirstSeq - 1;
        while (true)
        {
            var e = await session.Events.ReadAsync(cancel);
            if (previousSeq is { } p) Assert.AreEqual(p + 1, e.Seq, "seq must grow by exactly one");
            previousSeq = e.Seq;
            onEvent?.Invoke(e);
            if (e.RunId != runId) continue;
            Assert.AreEqual(events.Count, e.Index, $"run {runId}: index must be continuous");
            events.Add(e);
            if (e.Kind == EventKinds.StreamChunk) text.Append(e.Text);
            if (e.Kind == EventKinds.StreamEnd) return new Answer(text.ToString(), events);
        }
    }

    /// <summary>Waits until the session notices its link dropped.</summary>
    public static async Task<Disconnected> WaitForDisconnectAsync(this ResilientSession session)
    {
        var cancel = Timeouts.Token();
        while (true)
        {
            var change = await session.ConnectionEvents.ReadAsync(cancel);
            if (change is Disconnected d) return d;
            if (change is Ended ended) Assert.Fail($"session ended with {ended.CloseCode}: {ended.Reason}");
        }
    }

    /// <summary>Waits for the next welcome after a drop.</summary>
    public static async Task<WelcomeMessage> WaitForWelcomeAsync(this ResilientSession session, int generation)
    {
        var cancel = Timeouts.Token();
        while (true)
        {
            var change = await session.ConnectionEvents.ReadAsync(cancel);
            if (change is Welcomed w && w.Generation >= generation) return w.Welcome;
            if (change is Ended ended) Assert.Fail($"session ended with {ended.CloseCode}: {ended.Reason}");
        }
    }
}

public sealed record Answer(string Text, IReadOnlyList<EventMessage> Events);
