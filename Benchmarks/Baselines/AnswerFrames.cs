using AspireResilience.Protocol;

namespace AspireResilience.Benchmarks.Baselines;

/// <summary>
/// The frames of one streamed answer exactly as the Backend puts them on the wire (protocol v1.1
/// <c>event</c>s with their chain, chunks of three words as the reference agent writes them), so
/// the floor and the peer carry the same bytes as ours.
/// </summary>
internal static class AnswerFrames
{
    private static readonly string[] Words = ["session", "resume", "redis", "outbox", "replay", "lease", "stream", "chunk", "trace"];

    /// <summary>The events of run <paramref name="runId"/>: start, <paramref name="chunks"/> chunks, end; seqs from <paramref name="firstSeq"/>.</summary>
    public static IEnumerable<EventMessage> Events(string runId, int chunks, long firstSeq, string chain)
    {
        var seq = firstSeq;
        for (var index = 0; index <= chunks + 1; index++)
        {
            var kind = index == 0 ? EventKinds.StreamStart : index == chunks + 1 ? EventKinds.StreamEnd : EventKinds.StreamChunk;
            var text = kind == EventKinds.StreamChunk ? $"{Words[index % Words.Length]} {Words[(index * 7) % Words.Length]} {Words[(index * 5) % Words.Length]} " : "";
            chain = EventChain.Next(chain, seq, kind, runId, index, text);
            yield return new EventMessage(seq++, kind, index, text, runId, chain);
        }
    }

    /// <summary>A <c>welcome</c> of the size the Backend sends.</summary>
    public static WelcomeMessage Welcome(string sessionId) =>
        new(sessionId, Resumed: false, Epoch: Guid.NewGuid().ToString("N"), ReplayCount: 0, HeartbeatMs: 5000,
            TokenExpiresAt: 1_900_000_000_000, ResumeWindowSec: 86_400, Chain: EventChain.Genesis(sessionId));

    /// <summary>A <c>hello</c> of the size our client sends: a token of a signed JWT's length.</summary>
    public static HelloMessage Hello() => new(new string('t', 700), Traceparent: "00-" + new string('0', 32) + "-" + new string('0', 16) + "-01");
}
