namespace AspireResilience.Backend.Sessions;

/// <param name="Top">The highest seq the session has produced (valid for <see cref="AttachStatus.Resumed"/>, <see cref="AttachStatus.Gap"/>, <see cref="AttachStatus.Diverged"/> and <see cref="AttachStatus.Ahead"/>).</param>
/// <param name="Chain">The store's chain at the resume's lastSeq (<see cref="AttachStatus.Resumed"/>; empty for a session written before v1.1).</param>
public readonly record struct AttachResult(AttachStatus Status, long Top = 0, string? Epoch = null, string? Chain = null);
