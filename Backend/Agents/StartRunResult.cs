namespace AspireResilience.Backend.Agents;

/// <summary>What <see cref="RunStore.StartAsync"/> did with a prompt.</summary>
public enum StartRunResult
{
    /// <summary>A new run, leased to this process.</summary>
    Started,

    /// <summary>A run with this id exists (a re-sent prompt); its events are, or will be, in the outbox.</summary>
    Duplicate,

    /// <summary>The session is gone or belongs to someone else.</summary>
    SessionGone,

    /// <summary>A newer connection owns the session: a late prompt from the old socket starts nothing.</summary>
    Superseded,

    /// <summary>The session already streams <see cref="AgentOptions.MaxRunsPerSession"/> runs; nothing was recorded.</summary>
    TooManyRuns,
}
