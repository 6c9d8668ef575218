using AspireResilience.Protocol;

namespace AspireResilience.Client;

/// <summary>A change in a <see cref="ResilientSession"/>'s link.</summary>
public abstract record ConnectionEvent;

/// <summary>The server answered <c>hello</c>. <see cref="Generation"/> counts connections, starting at 1.</summary>
public sealed record Welcomed(WelcomeMessage Welcome, int Generation) : ConnectionEvent;

/// <summary>The link dropped; <see cref="CloseCode"/> is null when no close frame arrived.</summary>
public sealed record Disconnected(int? CloseCode, string Reason) : ConnectionEvent;

/// <summary>The session ended for good (a final close code, or disposal).</summary>
public sealed record Ended(int? CloseCode, string Reason) : ConnectionEvent;

/// <summary>
/// v1.1: what the server sent broke the continuity chain: event <see cref="Seq"/> of session
/// <see cref="SessionId"/> (0: the snapshot) was not delivered, and the session resumes. A
/// contract breach by the server; <see cref="Expected"/> is the client's own computation.
/// </summary>
public sealed record ChainMismatch(string SessionId, long Seq, string Expected, string? Received) : ConnectionEvent;

/// <summary>
/// v1.1: after a failed resume (<c>gap</c>, <c>expired</c>, <c>epoch</c>, <c>diverged</c>), the
/// conversation of the old session as the server still knows it, checked against its chain: a UI
/// rebuilds from it.
/// </summary>
public sealed record SnapshotReceived(SnapshotMessage Snapshot) : ConnectionEvent;

/// <summary>
/// The server answered a frame with <c>error</c> (e.g. <c>too_many_runs</c>, <c>invalid_message</c>)
/// and kept the link up. A prompt refused with <c>too_many_runs</c> stays queued and the session
/// sends it again when one of its runs ends (see <see cref="ResilientSessionOptions.RefusedPromptRetryDelay"/>).
/// </summary>
/// <param name="PromptId">The refused prompt's id (<c>too_many_runs</c>): the session sends it again by itself.</param>
public sealed record ServerError(string Code, string Message, bool Retryable, string? PromptId = null) : ConnectionEvent;
