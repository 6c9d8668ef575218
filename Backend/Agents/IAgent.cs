namespace AspireResilience.Backend.Agents;

/// <summary>Produces an answer as chunks. Must be deterministic for a given request, so a run
/// resumed from a checkpoint (possibly by another process) continues the same text.</summary>
public interface IAgent
{
    IReadOnlyList<string> Answer(AgentRequest request);
}
