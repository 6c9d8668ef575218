namespace AspireResilience.TestSupport.Soak;

/// <summary>A fault as it happened: its plan, its <c>soak.fault</c> span's start and duration (injection → healed), what it hit.</summary>
public sealed record InjectedFault(PlannedFault Plan, DateTime StartUtc, TimeSpan Healed, string Target);
