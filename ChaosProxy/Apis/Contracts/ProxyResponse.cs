namespace AspireResilience.ChaosProxy.Apis.Contracts;

/// <summary>A proxy as Toxiproxy shows it, plus <c>connections</c> (open now) and <c>bytes</c> (delivered so far).</summary>
internal sealed record ProxyResponse(
    string Name,
    string Listen,
    string Upstream,
    bool Enabled,
    IReadOnlyList<ToxicResponse> Toxics,
    int Connections,
    ByteCountersResponse Bytes);
