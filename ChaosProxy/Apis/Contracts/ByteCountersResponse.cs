namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>Bytes delivered by a proxy, per direction (upstream = client to server).</summary>
internal sealed record ByteCountersResponse(long Upstream, long Downstream);
