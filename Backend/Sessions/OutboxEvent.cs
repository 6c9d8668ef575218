namespace AspireResilience.Backend.Sessions;

/// <summary>One entry of a session outbox; its stream id is <c>{Seq}-0</c>.</summary>
/// <param name="Chain">The chain stored when the event was appended (null for an entry written before v1.1).</param>
public sealed record OutboxEvent(long Seq, string Kind, string? RunId, int Index, string Text, string? Chain = null);
