using System.Runtime.CompilerServices;
using System.Text;
using AspireResilience.Protocol;
using Microsoft.AspNetCore.SignalR;

namespace AspireResilience.Benchmarks.Baselines;

/// <summary>The peer: an ASP.NET Core SignalR hub that streams the same <c>event</c> frames (as their JSON text).</summary>
internal sealed class AnswerHub : Hub
{
    /// <summary>
    /// Streams run <paramref name="runId"/> of <paramref name="chunks"/> chunks as fast as the
    /// connection takes them; with <paramref name="pauseAfterSeq"/> &gt; 0, waits at that event
    /// until <see cref="AnswerGates.Open"/>.
    /// </summary>
    public async IAsyncEnumerable<string> Answer(string runId, int chunks, int pauseAfterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var e in AnswerFrames.Events(runId, chunks, 1, EventChain.Genesis(runId)))
        {
            yield return Encoding.UTF8.GetString(ProtocolJson.Serialize(e));
            if (e.Seq == pauseAfterSeq) await AnswerGates.WaitAsync(runId, cancellationToken);
        }
    }
}
