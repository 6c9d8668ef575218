namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>Body of <c>POST /proxies</c>.</summary>
internal sealed record CreateProxyRequest(string? Name, string? Listen, string? Upstream, bool? Enabled);
