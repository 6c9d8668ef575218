namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// What the client library itself counted, summed over the soak's clients: in-band token refreshes
/// the server confirmed, events that arrived again and were dropped (at-least-once on the wire),
/// and seq gaps it found (each a contract breach it then resumed from).
/// </summary>
public sealed record ClientCounters(long TokenRefreshes, long DuplicatesDropped, long GapsDetected);
