namespace AspireResilience.Backend.Sessions;

/// <summary>What a message on a session's channel announces.</summary>
public enum SessionNotificationKind
{
    /// <summary>An event was appended to the outbox; the value is its seq.</summary>
    EventAppended,

    /// <summary>A connection attached to the session; the value is its id. Any other connection is superseded.</summary>
    Attached,
}
