using AspireResilience.Protocol;

namespace AspireResilience.TestSupport.Sessions;

/// <summary>A streamed answer as the application saw it: its text and its events, in order.</summary>
public sealed record Answer(string Text, IReadOnlyList<EventMessage> Events)
{
    /// <summary>
    /// The text after the agent's context marker (<c>[context: N earlier messages]</c>): what two
    /// answers to the same prompt share when they saw different histories (runs started together).
    /// </summary>
    public string AfterContext => Text[Text.IndexOf(']', StringComparison.Ordinal)..];
}
