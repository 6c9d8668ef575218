namespace AspireResilience.Backend.Sessions;

/// <summary>How long sessions live and how much they may queue. Section <c>Sessions</c>.</summary>
public sealed class SessionStoreOptions
{
    /// <summary>How long a disconnected session stays resumable. Defaults to 24 hours.</summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most events kept per session outbox; older unacknowledged ones are dropped and a resume that needs them gets <c>gap</c>. Defaults to 10,000.</summary>
    public int OutboxCap { get; set; } = 10_000;

    /// <summary>Context turns (prompts and answers) kept per session; older ones are dropped, so the context a run sees is bounded. Defaults to 100.</summary>
    public int ContextTurns { get; set; } = 100;

    /// <summary>Largest <c>snapshot</c> frame (serialized bytes) sent after a failed resume; older turns are left out beyond it. Defaults to 512 KiB (the reference client reads frames up to 1 MiB).</summary>
    public int SnapshotMaxBytes { get; set; } = 512 * 1024;
}
