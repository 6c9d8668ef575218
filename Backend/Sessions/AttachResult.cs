namespace AspireResilience.Backend.Sessions;

/// <summary>What the store answered to a resume request.</summary>
public enum AttachStatus { Resumed, Unknown, Expired, Gap, Forbidden, Ahead }

/// <param name="Top">The highest seq the session has produced (valid for <see cref="AttachStatus.Resumed"/> and <see cref="AttachStatus.Ahead"/>).</param>
public readonly record struct AttachResult(AttachStatus Status, long Top = 0, string? Epoch = null);
