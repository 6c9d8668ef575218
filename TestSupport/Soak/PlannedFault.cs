namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// One fault of a <see cref="FaultPlan"/>: wait <paramref name="Gap"/> after the previous fault
/// healed, inject <paramref name="Kind"/> on target number <paramref name="Target"/> (a replica,
/// the first of the clients to move…), hold it for <paramref name="Hold"/> where it lasts.
/// </summary>
public sealed record PlannedFault(int Number, TimeSpan Gap, FaultKind Kind, int Target, TimeSpan Hold);
