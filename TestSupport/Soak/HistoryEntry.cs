namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// One thing a soak client did or saw, in the order it recorded them: Jepsen's "history", the
/// only input of <see cref="DeliveryChecker"/>.
/// </summary>
public abstract record HistoryEntry;

/// <summary>The application sent prompt <paramref name="Id"/> (the run id it asks for) with <paramref name="Text"/>.</summary>
public sealed record PromptSent(string Id, string Text) : HistoryEntry;

/// <summary>An event reached the application (read from <c>ResilientSession.Events</c>), with its v1.1 <paramref name="Chain"/> when the server sent one.</summary>
public sealed record EventDelivered(long Seq, string Kind, string? RunId, int Index, string Text, string? Chain = null) : HistoryEntry;

/// <summary>
/// The server answered a <c>hello</c>. <paramref name="Generation"/> counts connections from 1;
/// from the second on each was a resume attempt, so <c>resumed:false</c> there must say why.
/// </summary>
public sealed record WelcomeSeen(string SessionId, bool Resumed, string? Reason, int Generation) : HistoryEntry;

/// <summary>The link dropped; the session reconnects (<paramref name="Reason"/> as the client saw it).</summary>
public sealed record LinkDropped(int? CloseCode, string Reason) : HistoryEntry;

/// <summary>
/// A fresh session replaced a lost one (<c>resumed:false</c>) while prompt <paramref name="Id"/>'s
/// run had started in the lost one: its answer went with it, and the application gave up on it.
/// </summary>
public sealed record PromptAbandoned(string Id) : HistoryEntry;

/// <summary>Every fault was healed at this point: from here the client must be served normally.</summary>
public sealed record FaultsStopped : HistoryEntry;

/// <summary>The client's state when the run ended: <paramref name="Status"/> of its link and prompts it still waited on.</summary>
public sealed record FinalState(string Status, int UnansweredPrompts) : HistoryEntry;
