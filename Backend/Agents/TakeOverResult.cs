namespace AspireResilience.Backend.Agents;

/// <summary>What <see cref="RunStore.TryTakeOverAsync"/> found.</summary>
public enum TakeOverResult
{
    /// <summary>The lease had lapsed (or was released); this process owns the run now.</summary>
    TakenOver,

    /// <summary>Another owner's lease is live.</summary>
    LeasedElsewhere,

    /// <summary>The run finished, or there is no run under this id: it no longer belongs in the active set.</summary>
    FinishedOrGone,
}
