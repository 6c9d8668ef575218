namespace AspireResilience.ChaosProxy.Client;

/// <summary>Bytes a proxy has delivered so far, per direction.</summary>
/// <param name="Upstream">Client to server.</param>
/// <param name="Downstream">Server to client.</param>
public sealed record ProxyBytes(long Upstream, long Downstream);
