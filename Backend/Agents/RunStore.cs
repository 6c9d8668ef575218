using System.Text.Json;
using AspireResilience.Backend.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.Backend.Agents;

/// <summary>Agent-run checkpoints and leases in Redis (DESIGN.md §6).</summary>
public sealed class RunStore(
    IConnectionMultiplexer redis,
    BackendInstance instance,
    IOptions<AgentOptions> agentOptions,
    IOptions<SessionStoreOptions> sessionOptions,
    TimeProvider time)
{
    private IDatabase Db => redis.GetDatabase();
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();
    private long LeaseUntil => Now + (long)agentOptions.Value.LeaseDuration.TotalMilliseconds;
    private long DataTtlMs => (long)sessionOptions.Value.ResumeWindow.TotalMilliseconds;
    private long SessionTtlMs => DataTtlMs * 2;

    /// <summary>
    /// Records a run and indexes it in its shard of <see cref="SessionKeys.ActiveRuns"/>, where every process's
    /// adoption scan finds it. The index lives outside the session's hash slot, so the two cannot
    /// change in one script (that would break on Redis Cluster); their order closes the crash window.
    /// </summary>
    public async Task<StartRunResult> StartAsync(string sessionId, string owner, string connectionId, string runId, string prompt)
    {
        // Index first. A crash after this step leaves a member without a run, which the adoption
        // scan drops (TakeOver answers FinishedOrGone); a crash after the script leaves a run that
        // is indexed, so some process adopts it. The other order left a recorded but unindexed
        // run that nobody ever adopted, while the re-sent prompt was told "duplicate".
        var member = SessionKeys.RunMember(sessionId, runId);
        var index = SessionKeys.ActiveRuns(SessionKeys.ActiveRunShard(sessionId));
        await Db.SetAddAsync(index, member);
        var turn = JsonSerializer.Serialize(new ContextTurn("user", runId, prompt));
        var result = RunScripts.ParseStartRun(await Db.ScriptEvaluateAsync(RunScripts.StartRun,
            [SessionKeys.Session(sessionId), SessionKeys.Run(sessionId, runId), SessionKeys.Context(sessionId)],
            [owner, prompt, instance.Id, LeaseUntil, DataTtlMs, turn, agentOptions.Value.MaxRunsPerSession, sessionOptions.Value.ContextTurns, connectionId]));
        switch (result)
        {
            case StartRunResult.SessionGone or StartRunResult.Superseded or StartRunResult.TooManyRuns:
                await Db.SetRemoveAsync(index, member);
                break;
            case StartRunResult.Started:
                // Again, idempotently: a scan in another process may have seen the member in the
                // instant before the script recorded the run, and dropped it as "gone".
                await Db.SetAddAsync(index, member);
                break;
            case StartRunResult.Duplicate:
                // Left alone: a running run is indexed already, and the scan drops a finished one.
                break;
        }
        return result;
    }

    public async Task<RunState?> GetAsync(string sessionId, string runId)
    {
        var f = await Db.HashGetAsync(SessionKeys.Run(sessionId, runId), ["prompt", "history", "next", "state"]);
        return f[0].IsNull ? null : new RunState(f[0].ToString(), (int)f[1], (int)f[2], f[3] == "done");
    }

    /// <summary>Writes the event at <paramref name="index"/>, moves the checkpoint and renews the lease, all or nothing.</summary>
    public async Task<AppendResult> AppendAsync(string sessionId, string runId, int index, string kind, string text, string? finalAnswer)
    {
        var answerTurn = finalAnswer is null ? "" : JsonSerializer.Serialize(new ContextTurn("agent", runId, finalAnswer));
        return RunScripts.ParseAppendRunEvent(await Db.ScriptEvaluateAsync(RunScripts.AppendRunEvent,
            [SessionKeys.Session(sessionId), SessionKeys.Outbox(sessionId), SessionKeys.Run(sessionId, runId), SessionKeys.Context(sessionId)],
            [instance.Id, index, kind, runId, text, finalAnswer is null ? 0 : 1, LeaseUntil,
             sessionOptions.Value.OutboxCap, SessionTtlMs, DataTtlMs, SessionKeys.Channel(sessionId), Now, answerTurn,
             SessionNotification.EventAppendedPrefix, sessionOptions.Value.ContextTurns, sessionId]));
    }

    public async Task<TakeOverResult> TryTakeOverAsync(string sessionId, string runId) =>
        RunScripts.ParseTakeOverRun(await Db.ScriptEvaluateAsync(RunScripts.TakeOverRun,
            [SessionKeys.Run(sessionId, runId)], [instance.Id, Now, LeaseUntil]));

    public Task ReleaseAsync(string sessionId, string runId) =>
        Db.ScriptEvaluateAsync(RunScripts.ReleaseRun, [SessionKeys.Run(sessionId, runId)], [instance.Id]);

    /// <summary>Every indexed run, read from all shards of the index at once (on a cluster, from every master).</summary>
    public async Task<IReadOnlyList<string>> ActiveAsync()
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, SessionKeys.ActiveRunShards).Select(s => Db.SetMembersAsync(SessionKeys.ActiveRuns(s))));
        return [.. shards.SelectMany(members => members).Select(m => m.ToString())];
    }

    public Task RemoveActiveAsync(string sessionId, string runId) =>
        Db.SetRemoveAsync(SessionKeys.ActiveRuns(SessionKeys.ActiveRunShard(sessionId)), SessionKeys.RunMember(sessionId, runId));

    private sealed record ContextTurn(string Role, string RunId, string Text);
}
