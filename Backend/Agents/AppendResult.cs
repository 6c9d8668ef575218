namespace AspireResilience.Backend.Agents;

/// <param name="Seq">The event's seq; only meaningful for <see cref="AppendStatus.Appended"/>.</param>
public readonly record struct AppendResult(AppendStatus Status, long Seq = 0);
