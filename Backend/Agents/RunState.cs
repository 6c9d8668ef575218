namespace AspireResilience.Backend.Agents;

/// <summary>A run's checkpoint: what to answer and the next event index to write.</summary>
public sealed record RunState(string Prompt, int History, int Next, bool Done);
