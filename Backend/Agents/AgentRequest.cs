namespace AspireResilience.Backend.Agents;

/// <summary>What an agent answers: a prompt and how much conversation came before it.</summary>
/// <param name="Prompt">The user's text.</param>
/// <param name="History">How many context entries (prompts and answers) preceded this prompt.</param>
public sealed record AgentRequest(string Prompt, int History);
