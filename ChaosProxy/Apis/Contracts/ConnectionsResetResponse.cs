namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>Body of the answer to <c>POST /proxies/{name}/connections/reset</c>: how many connections were reset.</summary>
internal sealed record ConnectionsResetResponse(int Reset);
