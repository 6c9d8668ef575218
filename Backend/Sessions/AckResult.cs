namespace AspireResilience.Backend.Sessions;

/// <summary>What <see cref="SessionStore.AckAsync"/> did with an ack.</summary>
public enum AckResult
{
    /// <summary>The outbox is trimmed up to the acked seq.</summary>
    Trimmed,

    /// <summary>The ack is beyond anything the session produced: refused (<c>invalid_ack</c>).</summary>
    Ahead,

    /// <summary>Another connection owns the session (or it is gone): a late ack changes nothing.</summary>
    Superseded,
}
