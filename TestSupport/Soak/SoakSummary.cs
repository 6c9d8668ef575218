using System.Globalization;
using System.Text;

namespace AspireResilience.TestSupport.Soak;

/// <summary>The soak's summary as Markdown: what ran, the checker's counts, faults and recovery per kind, the fault log, the seed.</summary>
public static class SoakSummary
{
    /// <summary>Violations listed in full; the rest are counted.</summary>
    private const int ListedViolations = 40;

    public static string Render(SoakResult result)
    {
        var (options, verdict) = (result.Options, result.Verdict);
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"# Chaos soak summary");
        Line($"");
        Line($"**{(verdict.Passed ? "Passed" : "FAILED")}** · seed **{options.Seed}** · {verdict.Clients} clients · faults for {result.FaultPhase.TotalSeconds:F0} s, then every client served again within {result.Drain.TotalSeconds:F1} s · wall {result.Wall.TotalSeconds:F0} s · written {TimeProvider.System.GetUtcNow():u}");
        Line($"");
        Line($"Replay: `SOAK_SEED={options.Seed} SOAK_CLIENTS={options.Clients} SOAK_DURATION={options.Duration.TotalSeconds:F0} ./test.sh --filter \"TestCategory=Soak\"`, or `dotnet run -c Release --project Benchmarks -- soak --seed {options.Seed} --clients {options.Clients} --duration {options.Duration.TotalSeconds:F0}`.");
        Line($"");
        Line($"| clients | prompts | answers | events | resumes | fresh sessions (resumed:false) | faults | kinds | lost | duplicated | reordered |");
        Line($"|---|---|---|---|---|---|---|---|---|---|---|");
        Line($"| {verdict.Clients} | {verdict.Prompts} | {verdict.Answers} | {verdict.Events} | {verdict.Resumes} | {verdict.FreshSessions} | {result.Faults.Count} | {result.FaultKinds} | **{verdict.Lost}** | **{verdict.Duplicated}** | {verdict.Reordered} |");
        Line($"");
        Line($"Lost, duplicated and reordered are what reached the application, per the checker; it also recomputed the protocol v1.1 chain of {verdict.ChainChecked} events from what the application read: {verdict.ChainBreaks} did not continue their session's chain. The client library counted {result.Client.TokenRefreshes} in-band token refreshes, {result.Client.DuplicatesDropped} repeated events it dropped (the server may send an event twice; the application must not see it twice) and {result.Client.GapsDetected} seq gaps it found and resumed from. The AuthService rotated {result.Refresh.RotatedAgain} refresh tokens again (a retry, within Auth:RefreshReuseGrace, of a refresh whose answer was lost to an AuthService restart) and revoked {result.Refresh.Revoked} families for reuse (each signs its user out; the soak's token store signs in again; see docs/testing.md).");
        Line($"");
        var nominal = SoakSettings.ChunkCount * SoakSettings.ChunkDelay.TotalMilliseconds;
        Line($"Load: the Backend's `agent.run` spans took {(result.AgentRunMs is { } runs ? $"p50 {runs.P50:F0} ms, p99 {runs.P99:F0} ms" : "(none read)")} against a nominal {nominal:F0} ms ({SoakSettings.ChunkCount} chunks × {SoakSettings.ChunkDelay.TotalMilliseconds:F0} ms).");
        Line($"");
        Line($"## Faults and recovery by kind");
        Line($"");
        Line($"From spans: each `soak.fault` span (injection → healed) and every soak client's `client.reconnect` span that started while that fault was the latest. Drop → resumed is the reconnect span's duration; fault → resumed runs from the fault span's start to the reconnect span's end. Milliseconds; — where no client had to reconnect.");
        Line($"");
        Line($"| kind | injected | reconnects | drop → resumed p50 | p99 | fault → resumed p50 | p99 |");
        Line($"|---|---|---|---|---|---|---|");
        foreach (var kind in result.Recovery)
        {
            Line($"| {kind.Kind} | {kind.Injected} | {kind.Reconnects} | {Ms(kind.DropToResumedP50)} | {Ms(kind.DropToResumedP99)} | {Ms(kind.FaultToResumedP50)} | {Ms(kind.FaultToResumedP99)} |");
        }
        Line($"");
        Line($"## Checker");
        Line($"");
        Line($"Per client and session: seq gap-free and never twice; every prompt exactly one complete answer, byte-identical to the reference; every resumed:false with a documented reason; every client answered after the faults stopped and healthy at the end.");
        Line($"");
        if (verdict.Passed) Line($"No violation.");
        foreach (var violation in verdict.Violations.Take(ListedViolations)) Line($"* {violation}");
        if (verdict.Violations.Count > ListedViolations) Line($"* … and {verdict.Violations.Count - ListedViolations} more");
        Line($"");
        Line($"## Fault log");
        Line($"");
        Line($"| # | at | kind | target | planned hold | healed after |");
        Line($"|---|---|---|---|---|---|");
        var first = result.Faults.FirstOrDefault()?.StartUtc;
        foreach (var fault in result.Faults)
        {
            Line($"| {fault.Plan.Number} | {(fault.StartUtc - first!.Value).TotalSeconds:F1} s | {fault.Plan.Kind} | {fault.Target} | {fault.Plan.Hold.TotalMilliseconds:F0} ms | {fault.Healed.TotalMilliseconds:F0} ms |");
        }
        return text.ToString();
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "—";
}
