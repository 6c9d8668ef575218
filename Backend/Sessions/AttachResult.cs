namespace AspireResilience.Backend.Sessions;

/// <param name="Top">The highest seq the session has produced (valid for <see cref="AttachStatus.Resumed"/>, <see cref="AttachStatus.Gap"/> and <see cref="AttachStatus.Ahead"/>).</param>
public readonly record struct AttachResult(AttachStatus Status, long Top = 0, string? Epoch = null);
