namespace AspireResilience.Backend.Agents;

/// <summary>Pace of the agent and the lease that lets another process take a run over. Section <c>Agent</c>.</summary>
public sealed class AgentOptions
{
    /// <summary>Chunks per answer. Defaults to 20.</summary>
    public int ChunkCount { get; set; } = 20;

    /// <summary>Pause before each chunk, the stand-in for model latency. Defaults to 50 ms.</summary>
    public TimeSpan ChunkDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a run's owner may be silent before another process takes it over. Defaults to 2 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often each process looks for runs whose lease lapsed. Defaults to 500 ms.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs one session may have streaming at once; a prompt beyond it is answered with the retryable <c>error</c> <c>too_many_runs</c>. Defaults to 4.</summary>
    public int MaxRunsPerSession { get; set; } = 4;
}
