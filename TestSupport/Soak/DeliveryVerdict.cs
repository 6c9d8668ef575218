namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// What <see cref="DeliveryChecker"/> found over every client's history: the counts the summary
/// quotes and every violation, each naming its client. It passed when there is no violation.
/// </summary>
public sealed record DeliveryVerdict(
    int Clients, int Prompts, long Events, int Answers, int Resumes, int FreshSessions,
    long Lost, long Duplicated, long Reordered, IReadOnlyList<string> Violations, long ChainChecked = 0, long ChainBreaks = 0)
{
    public bool Passed => Violations.Count == 0;
}
