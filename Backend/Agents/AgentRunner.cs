using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Agents;

/// <summary>
/// Drives one run from its checkpoint to the end. Every event is written by one atomic script
/// that also advances the checkpoint, so a run resumed after a crash writes no chunk twice and
/// skips none.
/// </summary>
public sealed partial class AgentRunner(
    RunStore runs,
    IAgent agent,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentRunner> logger)
{
    public async Task RunAsync(string sessionId, string runId, bool recovered, CancellationToken cancellationToken)
    {
        // agent.run: a child of the ws.connection whose prompt started it (the current activity);
        // agent.run.recover: a root, one trace per adoption.
        using var activity = BackendTelemetry.Source.StartActivity(recovered ? SpanNames.AgentRunRecover : SpanNames.AgentRun);
        activity?.SetTag(SpanAttributes.SessionId, sessionId);
        activity?.SetTag(SpanAttributes.AgentRunId, runId);

        var state = await runs.GetAsync(sessionId, runId);
        if (state is null || state.Done)
        {
            await runs.RemoveActiveAsync(sessionId, runId);
            return;
        }
        activity?.SetTag(SpanAttributes.AgentRunResumedAtIndex, state.Next);

        var chunks = agent.Answer(new AgentRequest(state.Prompt, state.History));
        var last = chunks.Count + 1;
        for (var index = state.Next; index <= last; index++)
        {
            if (index > 0)
            {
                await Task.Delay(options.Value.ChunkDelay, time, cancellationToken);
            }
            var (kind, text) = index == 0 ? (EventKinds.StreamStart, "")
                : index == last ? (EventKinds.StreamEnd, "")
                : (EventKinds.StreamChunk, chunks[index - 1]);
            var append = await runs.AppendAsync(sessionId, runId, index, kind, text,
                index == last ? string.Concat(chunks) : null);
            if (append.Status != AppendStatus.Appended)
            {
                LogRunAbandoned(logger, runId, index, append.Status);
                activity?.SetTag(SpanAttributes.AgentRunAbandoned, true);
                return;
            }
        }
        await runs.RemoveActiveAsync(sessionId, runId);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Run {RunId} stopped at index {Index}: {Why}")]
    private static partial void LogRunAbandoned(ILogger logger, string runId, int index, AppendStatus why);
}
