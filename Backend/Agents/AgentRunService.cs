using System.Collections.Concurrent;
using AspireResilience.Backend.Sessions;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Agents;

/// <summary>
/// Runs agent answers in the background of this process and adopts runs whose owner went
/// silent (killed, or gracefully stopped and released its lease). A run goes on while its
/// client is away; its events wait in the outbox.
/// </summary>
public sealed partial class AgentRunService(
    AgentRunner runner,
    RunStore runs,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentRunService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Records the run a prompt asks for and, when it is new, runs it in this process (which
    /// holds its lease from the start). A duplicate is left to whoever runs it.
    /// </summary>
    public async Task<StartRunResult> StartAsync(string sessionId, string owner, string connectionId, string runId, string prompt)
    {
        // Reserved before the run is recorded: between the record and the launch, this process's
        // own adoption scan would otherwise find the run indexed, not running here, and leased to
        // this very process, take it "over" and run it twice (one copy then stops, lease lost).
        var member = SessionKeys.RunMember(sessionId, runId);
        var reserved = _running.TryAdd(member, Task.CompletedTask);
        var result = StartRunResult.SessionGone;
        try
        {
            result = await runs.StartAsync(sessionId, owner, connectionId, runId, prompt);
        }
        finally
        {
            if (reserved && result != StartRunResult.Started) _running.TryRemove(member, out _);
        }
        if (result == StartRunResult.Started)
        {
            Launch(sessionId, runId, recovered: false);
        }
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryInterval, time);
        do
        {
            try
            {
                // Not waiting on a Redis that does not answer when the host stops.
                await AdoptOrphanedRunsAsync().WaitAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Redis may be restarting; the next tick tries again.
                LogRecoveryFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    internal async Task AdoptOrphanedRunsAsync()
    {
        foreach (var member in await runs.ActiveAsync())
        {
            if (_running.ContainsKey(member) || SessionKeys.ParseRunMember(member) is not var (sessionId, runId))
            {
                continue;
            }
            switch (await runs.TryTakeOverAsync(sessionId, runId))
            {
                case TakeOverResult.TakenOver:
                    LogRunAdopted(logger, runId);
                    Launch(sessionId, runId, recovered: true);
                    break;
                case TakeOverResult.FinishedOrGone:
                    // Finished, or a member whose run was never recorded (a crash between the
                    // two steps of RunStore.StartAsync): nothing to adopt.
                    await runs.RemoveActiveAsync(sessionId, runId);
                    break;
                case TakeOverResult.LeasedElsewhere:
                    break;
            }
        }
    }

    private void Launch(string sessionId, string runId, bool recovered)
    {
        var member = SessionKeys.RunMember(sessionId, runId);
        _running[member] = Task.Run(async () =>
        {
            try
            {
                await runner.RunAsync(sessionId, runId, recovered, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Shutting down: hand the lease back so the next process continues at once.
                await runs.ReleaseAsync(sessionId, runId);
            }
            catch (Exception ex)
            {
                // The lease lapses and a process (this one included) adopts the run again.
                LogRunFailed(logger, runId, ex.GetType().Name);
            }
            finally
            {
                _running.TryRemove(member, out _);
            }
        });
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Adopted orphaned run {RunId}")]
    private static partial void LogRunAdopted(ILogger logger, string runId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Run {RunId} failed with {Error}; it will be adopted after its lease lapses")]
    private static partial void LogRunFailed(ILogger logger, string runId, string error);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Looking for orphaned runs failed with {Error}")]
    private static partial void LogRecoveryFailed(ILogger logger, string error);
}
