namespace AspireResilience.Client;

/// <summary>Where a <see cref="ResilientSession"/>'s link stands, as an application shows it.</summary>
public enum ConnectionStatus
{
    /// <summary>The first connection is being opened.</summary>
    Connecting,

    /// <summary>Connected to a fresh session (after a failed resume, <see cref="ConnectionState.Reason"/> says why history is gone).</summary>
    Open,

    /// <summary>The link dropped; the session is reconnecting to resume.</summary>
    Resuming,

    /// <summary>Resumed the same session; <see cref="ConnectionState.ReplayCount"/> events were re-sent.</summary>
    Resumed,

    /// <summary>The session ended for good (a final close code, or disposal).</summary>
    Closed,
}

/// <summary>
/// A snapshot of a session's link. <see cref="Reason"/> is the welcome's reason for a fresh
/// session after a resume (<c>expired</c>, <c>gap</c>, <c>epoch</c>, <c>unknown</c>, <c>diverged</c>), or why the
/// link dropped or ended; <see cref="CloseCode"/> is the server's close code when it sent one.
/// </summary>
public sealed record ConnectionState(ConnectionStatus Status, long ReplayCount = 0, int? CloseCode = null, string? Reason = null)
{
    /// <summary>The state before anything happened.</summary>
    public static ConnectionState Initial { get; } = new(ConnectionStatus.Connecting);
}
