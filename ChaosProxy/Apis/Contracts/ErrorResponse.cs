namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>Every error body: <c>{"error":"..."}</c>.</summary>
internal sealed record ErrorResponse(string Error);
