namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>What every toxic has, whatever its type.</summary>
/// <param name="Name">Unique within its proxy.</param>
/// <param name="Stream">The direction it acts on.</param>
/// <param name="Toxicity">Probability (0..1) that it applies to a given connection, drawn once per connection.</param>
internal sealed record ToxicSettings(string Name, ToxicStream Stream, double Toxicity);
