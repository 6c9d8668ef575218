namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>The direction a toxic acts on, in Toxiproxy's words.</summary>
internal enum ToxicStream
{
    /// <summary>Server to client: the response path. The default, as in Toxiproxy.</summary>
    Downstream,

    /// <summary>Client to server: the request path.</summary>
    Upstream,
}
