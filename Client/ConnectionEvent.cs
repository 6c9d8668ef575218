using AspireResilience.Protocol;

namespace AspireResilience.Client;

/// <summary>A change in a <see cref="ResilientSession"/>'s link.</summary>
public abstract record ConnectionEvent;

/// <summary>The server answered <c>hello</c>. <see cref="Generation"/> counts connections, starting at 1.</summary>
public sealed record Welcomed(WelcomeMessage Welcome, int Generation) : ConnectionEvent;

/// <summary>The link dropped; <see cref="CloseCode"/> is null when no close frame arrived.</summary>
public sealed record Disconnected(int? CloseCode, string Reason) : ConnectionEvent;

/// <summary>The session ended for good (a final close code, or disposal).</summary>
public sealed record Ended(int? CloseCode, string Reason) : ConnectionEvent;
