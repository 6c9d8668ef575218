namespace AspireResilience.Backend.Sessions;

/// <summary>What the store answered to a resume request.</summary>
public enum AttachStatus { Resumed, Unknown, Expired, Evicted, Gap, Forbidden, Ahead, Diverged }
