using System.Text.Json;

namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>Body of <c>POST /proxies/{name}/toxics</c> and of a toxic update (every field optional there).</summary>
internal sealed record ToxicRequest(string? Name, string? Type, string? Stream, double? Toxicity, Dictionary<string, JsonElement>? Attributes);
