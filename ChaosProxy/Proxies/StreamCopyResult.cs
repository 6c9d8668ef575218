namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>How one direction of a connection ended (after YARP's <c>StreamCopyResult</c>).</summary>
internal enum StreamCopyResult
{
    /// <summary>The source sent EOF and it was propagated (half-close).</summary>
    Success,

    /// <summary>Reading the source failed (typically a reset): the whole connection is reset.</summary>
    InputError,

    /// <summary>Writing the destination failed: the whole connection is reset.</summary>
    OutputError,

    /// <summary>The proxy ended the connection (close, reset, disable, shutdown).</summary>
    Canceled,
}
