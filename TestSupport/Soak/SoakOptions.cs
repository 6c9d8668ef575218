namespace AspireResilience.TestSupport.Soak;

/// <summary>How a soak runs. Every random choice comes from <see cref="Seed"/>, so a run can be replayed.</summary>
public sealed record SoakOptions
{
    /// <summary>Clients, each holding one session (one user each). Defaults to 50.</summary>
    public int Clients { get; init; } = 50;

    /// <summary>How long clients talk while faults are injected. Defaults to 2 minutes.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Seeds the fault plan, the prompts and every client's pace. Defaults to a random one.</summary>
    public int Seed { get; init; } = Random.Shared.Next();

    /// <summary>Faults to inject at least: the fault phase goes on past <see cref="Duration"/> until this many were. Defaults to 20.</summary>
    public int MinFaults { get; init; } = 20;

    /// <summary>Shortest pause of a client between an answer's end and its next prompt. Defaults to 1 s.</summary>
    public TimeSpan MinPromptPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest pause of a client between an answer's end and its next prompt. Defaults to 3 s.</summary>
    public TimeSpan MaxPromptPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long, once the faults stopped, every client has to finish its prompt and get one more
    /// answer; a client that has not by then is stuck. Defaults to 60 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gaps between faults and holds of the lasting ones.</summary>
    public FaultTimings Timings { get; init; } = new();

    /// <summary>Different prompt texts the clients take turns with.</summary>
    public int PromptTexts { get; init; } = 6;
}
