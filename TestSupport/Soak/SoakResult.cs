namespace AspireResilience.TestSupport.Soak;

/// <summary>What a soak run did and what the checker found.</summary>
/// <param name="Options">How it ran (the seed replays it).</param>
/// <param name="Verdict">The checker's counts and violations.</param>
/// <param name="Faults">Every fault, in order.</param>
/// <param name="Recovery">Recovery per fault kind, from spans.</param>
/// <param name="FaultPhase">From the first client's first prompt to the last fault healed.</param>
/// <param name="Drain">From the faults' end until every client got its last answer (or the drain timeout).</param>
/// <param name="Wall">The whole run: references, connects, faults, drain, check.</param>
/// <param name="Histories">Every client's history, as the checker read it.</param>
/// <param name="Refresh">From the AuthService's log: refresh-token families revoked because a rotated token came back (each a user signed out), and retries of a lost refresh answer rotated again within <c>Auth:RefreshReuseGrace</c>.</param>
/// <param name="AgentRunMs">p50 and p99 of the Backend's <c>agent.run</c> spans (one per answer run in one go), in ms: how far the machine's load stretched an answer past its nominal pace (null: none read).</param>
/// <param name="Client">What the client library counted over all clients: in-band refreshes, repeats it dropped, seq gaps it found.</param>
public sealed record SoakResult(SoakOptions Options, DeliveryVerdict Verdict, IReadOnlyList<InjectedFault> Faults,
    IReadOnlyList<KindRecovery> Recovery, TimeSpan FaultPhase, TimeSpan Drain, TimeSpan Wall, ClientCounters Client,
    IReadOnlyList<ClientHistory> Histories, (int Revoked, int RotatedAgain) Refresh, (double P50, double P99)? AgentRunMs)
{
    /// <summary>How many different kinds of fault were injected.</summary>
    public int FaultKinds => Faults.Select(f => f.Plan.Kind).Distinct().Count();
}
