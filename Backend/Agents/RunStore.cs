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
    public enum StartResult { Started, Duplicate, SessionGone }

    private IDatabase Db => redis.GetDatabase();
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();
    private long LeaseUntil => Now + (long)agentOptions.Value.LeaseDuration.TotalMilliseconds;
    private long DataTtlMs => (long)sessionOptions.Value.ResumeWindow.TotalMilliseconds;
    private long SessionTtlMs => DataTtlMs * 2;

    public async Task<StartResult> StartAsync(string sessionId, string owner, string runId, string prompt)
    {
        var turn = JsonSerializer.Serialize(new ContextTurn("user", runId, prompt));
        var result = (long)await Db.ScriptEvaluateAsync(SessionScripts.StartRun,
            [SessionKeys.Session(sessionId), SessionKeys.Run(sessionId, runId), SessionKeys.Context(sessionId)],
            [owner, prompt, instance.Id, LeaseUntil, DataTtlMs, turn]);
        if (result == 1)
        {
            await Db.SetAddAsync(SessionKeys.ActiveRuns, SessionKeys.RunMember(sessionId, runId));
        }
        return result switch { 1 => StartResult.Started, 0 => StartResult.Duplicate, _ => StartResult.SessionGone };
    }

    public async Task<RunState?> GetAsync(string sessionId, string runId)
    {
        var f = await Db.HashGetAsync(SessionKeys.Run(sessionId, runId), ["prompt", "history", "next", "state"]);
        return f[0].IsNull ? null : new RunState(f[0].ToString(), (int)f[1], (int)f[2], f[3] == "done");
    }

    /// <returns>The event's seq; -1 when the lease was lost; -2 when the session is gone.</returns>
    public async Task<long> AppendAsync(string sessionId, string runId, int index, string kind, string text, string? finalAnswer)
    {
        var answerTurn = finalAnswer is null ? "" : JsonSerializer.Serialize(new ContextTurn("agent", runId, finalAnswer));
        return (long)await Db.ScriptEvaluateAsync(SessionScripts.AppendRunEvent,
            [SessionKeys.Session(sessionId), SessionKeys.Outbox(sessionId), SessionKeys.Run(sessionId, runId), SessionKeys.Context(sessionId)],
            [instance.Id, index, kind, runId, text, finalAnswer is null ? 0 : 1, LeaseUntil,
             sessionOptions.Value.OutboxCap, SessionTtlMs, DataTtlMs, SessionKeys.Channel(sessionId), Now, answerTurn]);
    }

    /// <returns>1 taken over, 0 leased by a live owner, -1 finished or gone.</returns>
    public async Task<int> TryTakeOverAsync(string sessionId, string runId) =>
        (int)(long)await Db.ScriptEvaluateAsync(SessionScripts.TakeOverRun,
            [SessionKeys.Run(sessionId, runId)], [instance.Id, Now, LeaseUntil]);

    public Task ReleaseAsync(string sessionId, string runId) =>
        Db.ScriptEvaluateAsync(SessionScripts.ReleaseRun, [SessionKeys.Run(sessionId, runId)], [instance.Id]);

    public async Task<IReadOnlyList<string>> ActiveAsync() =>
        (await Db.SetMembersAsync(SessionKeys.ActiveRuns)).Select(m => m.ToString()).ToArray();

    public Task RemoveActiveAsync(string sessionId, string runId) =>
        Db.SetRemoveAsync(SessionKeys.ActiveRuns, SessionKeys.RunMember(sessionId, runId));

    private sealed record ContextTurn(string Role, string RunId, string Text);
}
