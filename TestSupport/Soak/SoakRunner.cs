using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Reports;
using AspireResilience.TestSupport.Sessions;

namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// The chaos soak: many clients hold sessions and talk while a seeded scheduler injects faults;
/// once the faults stop, every client must be served again; then <see cref="DeliveryChecker"/>
/// judges every client's history. Shared by the E2E test (category <c>Soak</c>) and the
/// <c>soak</c> verb of Benchmarks (long runs).
/// </summary>
public static class SoakRunner
{
    public static async Task<SoakResult> RunAsync(TestEnvironment env, SoakOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        var texts = Enumerable.Range(0, options.PromptTexts).Select(t => $"soak question {t} of seed {options.Seed}").ToArray();
        // Before any fault: the uninterrupted answers every recovered one must equal.
        var references = await ReferencesAsync(env, texts);
        var clients = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(i => SoakClient.ConnectAsync(env, i, texts, options)));
        log($"soak seed {options.Seed}: {clients.Length} clients connected, {references.Count} reference answers, {time.GetElapsedTime(started).TotalSeconds:F1} s");
        IReadOnlyList<InjectedFault> faults;
        TimeSpan faultPhase, drainTime;
        ClientCounters counters;
        try
        {
            var faultsStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var drain = new CancellationTokenSource();
            var phaseStarted = time.GetTimestamp();
            var talking = clients.Select(c => Task.Run(() => c.RunAsync(faultsStopped.Task, drain.Token), CancellationToken.None)).ToArray();
            try
            {
                faults = await InjectFaultsAsync(new SoakFaults(env, clients), options, log, cancellationToken);
            }
            finally
            {
                // Whatever happened, the clients get their chance to recover and the checker its histories.
                await env.ChaosProxy.ResetAsync(CancellationToken.None);
                faultPhase = time.GetElapsedTime(phaseStarted);
                drain.CancelAfter(options.DrainTimeout);
                faultsStopped.SetResult();
                await Task.WhenAll(talking);
            }
            drainTime = time.GetElapsedTime(phaseStarted) - faultPhase;
            counters = new ClientCounters(clients.Sum(c => c.Session.TokenRefreshes), clients.Sum(c => c.Session.DuplicatesDropped),
                clients.Sum(c => c.Session.GapsDetected));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
        var histories = clients.Select(c => c.History).ToArray();
        var verdict = DeliveryChecker.Check(histories,
            (prompt, turn) => references.GetValueOrDefault((prompt, Math.Min(turn, SoakSettings.ReferenceTurns - 1))),
            SoakSettings.JustifiedResumeFailures);
        var sessions = histories.SelectMany(h => h.Entries.OfType<WelcomeSeen>().Select(w => w.SessionId)).ToHashSet(StringComparer.Ordinal);
        var recovery = RecoveryStats.PerKind(faults, env.ClientSpans.Finished, sessions, time.GetUtcNow().UtcDateTime);
        return new SoakResult(options, verdict, faults, recovery, faultPhase, drainTime, time.GetElapsedTime(started), counters,
            histories, await RefreshOutcomesAsync(env, cancellationToken), await AgentRunsAsync(env, cancellationToken));
    }

    private static async Task<IReadOnlyList<InjectedFault>> InjectFaultsAsync(SoakFaults injector, SoakOptions options, Action<string> log,
        CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        var faults = new List<InjectedFault>();
        foreach (var planned in FaultPlan.For(options.Seed, options.Timings))
        {
            var elapsed = time.GetElapsedTime(started);
            // At least the duration and at least the minimum count; a run three times too long stops anyway (and fails its minimum).
            if ((elapsed >= options.Duration && faults.Count >= options.MinFaults) || elapsed >= options.Duration * 3) break;
            // The scheduler's pace: the quiet time the plan drew before this fault.
            await Task.Delay(planned.Gap, cancellationToken);
            var span = await injector.InjectAsync(planned, cancellationToken);
            var target = span.GetTagItem("fault.target") as string ?? "";
            faults.Add(new InjectedFault(planned, span.StartTimeUtc, span.Duration, target));
            log($"fault {planned.Number} at {time.GetElapsedTime(started).TotalSeconds:F1} s: {planned.Kind} on {target}, healed in {span.Duration.TotalMilliseconds:F0} ms");
        }
        return faults;
    }

    /// <summary>Each text's uninterrupted answer at each turn that answers differently, on fresh sessions in parallel.</summary>
    private static async Task<IReadOnlyDictionary<(string Prompt, int Turn), string>> ReferencesAsync(TestEnvironment env, IReadOnlyList<string> texts)
    {
        var answers = await Task.WhenAll(texts.Select(t => ReferenceAnswers.AtEachTurnAsync(env, t, SoakSettings.ReferenceTurns)));
        return texts.Zip(answers)
            .SelectMany(pair => pair.Second.Select((answer, turn) => (Key: (pair.First, turn), answer.Text)))
            .ToDictionary(p => p.Key, p => p.Text);
    }

    /// <summary>
    /// From the AuthService's log: refresh-token families revoked for reuse ("reuse detected"
    /// warnings) and retries of a lost refresh answer rotated again within the reuse grace. Read
    /// after the drain, so the log batches of the fault phase have arrived.
    /// </summary>
    private static async Task<(int Revoked, int RotatedAgain)> RefreshOutcomesAsync(TestEnvironment env, CancellationToken cancellationToken)
    {
        var (revoked, again) = (0, 0);
        foreach (var instance in await env.Telemetry.TelemetryNamesAsync(ResourceNames.Auth, cancellationToken))
        {
            var logs = await env.Telemetry.GetLogsAsync(instance, "Information", traceId: null, cancellationToken) ?? [];
            revoked += logs.Count(l => l.Message.Contains("reuse detected", StringComparison.OrdinalIgnoreCase));
            again += logs.Count(l => l.Message.Contains("rotated again", StringComparison.OrdinalIgnoreCase));
        }
        return (revoked, again);
    }

    /// <summary>The spread of <c>agent.run</c> durations (the dashboard keeps the latest spans; a long run reads its tail).</summary>
    private static async Task<(double, double)?> AgentRunsAsync(TestEnvironment env, CancellationToken cancellationToken)
    {
        var runs = (await env.Telemetry.GetSpansAsync(ResourceNames.Backend, traceId: null, cancellationToken))
            .Where(s => s.Name == "agent.run").Select(s => s.Duration.TotalMilliseconds).Order().ToArray();
        return runs.Length == 0 ? null : (ResilienceReport.Percentile(runs, 0.50), ResilienceReport.Percentile(runs, 0.99));
    }
}
