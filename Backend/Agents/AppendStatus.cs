namespace AspireResilience.Backend.Agents;

/// <summary>What became of one run event <see cref="RunStore.AppendAsync"/> tried to write.</summary>
public enum AppendStatus
{
    /// <summary>Written, with its seq; the run's checkpoint and lease moved on.</summary>
    Appended,

    /// <summary>Not written: another process owns the run now, or this index was already written.</summary>
    LeaseLost,

    /// <summary>Not written: the session expired or vanished.</summary>
    SessionGone,
}
