namespace AspireResilience.Client;

/// <summary>
/// A prompt was refused because <see cref="ResilientSessionOptions.MaxQueuedPrompts"/> prompts are
/// already waiting for their answers to start (typically while offline). Nothing was queued:
/// retry once the session is back and answers have started.
/// </summary>
public sealed class PromptQueueFullException(int limit)
    : InvalidOperationException($"{limit} prompts are already waiting for their answers to start (ResilientSessionOptions.MaxQueuedPrompts); this one was not queued.")
{
    /// <summary>The limit that was reached.</summary>
    public int Limit { get; } = limit;
}
