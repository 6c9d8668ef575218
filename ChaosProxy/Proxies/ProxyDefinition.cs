using System.Net;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>A validated request to create a proxy.</summary>
internal sealed record ProxyDefinition(string Name, IPEndPoint Listen, HostPort Upstream, bool Enabled);
