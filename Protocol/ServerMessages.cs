using System.Text.Json.Serialization;

namespace AspireResilience.Protocol;

/// <summary>A frame the server sends. The JSON discriminator is <c>type</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(WelcomeMessage), "welcome")]
[JsonDerivedType(typeof(EventMessage), "event")]
[JsonDerivedType(typeof(SnapshotMessage), "snapshot")]
[JsonDerivedType(typeof(RefreshedMessage), "refreshed")]
[JsonDerivedType(typeof(TokenExpiringMessage), "token.expiring")]
[JsonDerivedType(typeof(PongMessage), "pong")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
public abstract record ServerMessage;

/// <summary>The answer to <c>hello</c>. A failed resume is <c>Resumed=false</c> with a <see cref="Reason"/>, never a close.</summary>
/// <param name="TokenExpiresAt">Unix time in milliseconds.</param>
/// <param name="Reason">Why a resume was impossible: see <see cref="ResumeFailureReasons"/>.</param>
/// <param name="Chain">v1.1: the session's chain at the hello's <c>lastSeq</c> (resumed) or its genesis (fresh); see <see cref="EventChain"/>.</param>
public sealed record WelcomeMessage(
    string SessionId,
    bool Resumed,
    string Epoch,
    long ReplayCount,
    int HeartbeatMs,
    long TokenExpiresAt,
    long ResumeWindowSec,
    string? Reason = null,
    string? Chain = null) : ServerMessage;

/// <summary>A data message. <see cref="Seq"/> is per session, starts at 1 and grows by exactly 1.</summary>
/// <param name="Kind">One of <see cref="EventKinds"/>.</param>
/// <param name="Index">Position within the run: <c>stream.start</c> is 0, chunks 1..n, <c>stream.end</c> n+1.</param>
/// <param name="RunId">The run this event belongs to; absent for a standalone <c>message</c>.</param>
/// <param name="Chain">v1.1: <see cref="EventChain.Next(string, EventMessage)"/> of the previous event's chain and this event, as the server stored it.</param>
public sealed record EventMessage(long Seq, string Kind, int Index, string Text, string? RunId = null, string? Chain = null) : ServerMessage;

/// <summary>
/// v1.1: after a <c>welcome</c> with <c>resumed:false</c> (reasons <c>gap</c>, <c>expired</c>,
/// <c>epoch</c>, <c>diverged</c>), the conversation of session <see cref="SessionId"/> as the
/// server still knows it: its prompts and completed answers, oldest first.
/// </summary>
/// <param name="SessionId">The session the snapshot is of (the one the client tried to resume).</param>
/// <param name="Truncated">Older turns were left out to keep the frame within its size bound.</param>
/// <param name="Chain"><see cref="EventChain.OfSnapshot"/> of the turns, so the client can check it arrived as sent.</param>
public sealed record SnapshotMessage(string SessionId, IReadOnlyList<SnapshotTurn> Turns, bool Truncated, string Chain) : ServerMessage;

/// <summary>The live connection now runs on the refreshed token.</summary>
public sealed record RefreshedMessage(long TokenExpiresAt) : ServerMessage;

/// <summary>Sent ahead of expiry so the client refreshes in time.</summary>
public sealed record TokenExpiringMessage(long ExpiresAt) : ServerMessage;

/// <summary>Echo of a <c>ping</c>.</summary>
public sealed record PongMessage(long T) : ServerMessage;

/// <summary>A recoverable problem; the connection stays open.</summary>
/// <param name="PromptId">v1.1: the <c>id</c> of the refused prompt, on <c>too_many_runs</c>, so a client can send it again.</param>
public sealed record ErrorMessage(string Code, string Message, bool Retryable, string? PromptId = null) : ServerMessage;
