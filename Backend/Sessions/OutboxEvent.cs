namespace AspireResilience.Backend.Sessions;

/// <summary>One entry of a session outbox; its stream id is <c>{Seq}-0</c>.</summary>
public sealed record OutboxEvent(long Seq, string Kind, string? RunId, int Index, string Text);
