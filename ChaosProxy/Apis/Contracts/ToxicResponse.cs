namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>A toxic as Toxiproxy shows it.</summary>
internal sealed record ToxicResponse(string Name, string Type, string Stream, double Toxicity, IReadOnlyDictionary<string, long> Attributes);
