using AspireResilience.Protocol;

namespace AspireResilience.TestSupport.Sessions;

/// <summary>A streamed answer as the application saw it: its text and its events, in order.</summary>
public sealed record Answer(string Text, IReadOnlyList<EventMessage> Events);
