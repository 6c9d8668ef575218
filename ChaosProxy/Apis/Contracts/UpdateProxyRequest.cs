namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>Body of <c>POST /proxies/{name}</c>: each field optional; <c>listen</c> cannot change.</summary>
internal sealed record UpdateProxyRequest(string? Listen, string? Upstream, bool? Enabled);
