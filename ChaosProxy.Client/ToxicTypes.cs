namespace AspireResilience.ChaosProxy.Client;

/// <summary>The toxic type names ChaosProxy knows (Toxiproxy's names).</summary>
public static class ToxicTypes
{
    /// <summary>Delays every chunk by <c>latency</c> ± <c>jitter</c> milliseconds.</summary>
    public const string Latency = "latency";

    /// <summary>Throttles to <c>rate</c> KB/s (KB = 1000 bytes).</summary>
    public const string Bandwidth = "bandwidth";

    /// <summary>Delays the end of the stream (FIN) by <c>delay</c> milliseconds.</summary>
    public const string SlowClose = "slow_close";

    /// <summary>Stops all data; closes after <c>timeout</c> milliseconds (0 = never: half-open until removed).</summary>
    public const string Timeout = "timeout";

    /// <summary>Resets both sides with TCP RST after <c>timeout</c> milliseconds (0 = on the next data).</summary>
    public const string ResetPeer = "reset_peer";

    /// <summary>Splits data into <c>average_size</c> ± <c>size_variation</c> byte slices, <c>delay</c> µs apart.</summary>
    public const string Slicer = "slicer";

    /// <summary>Closes the connection after <c>bytes</c> bytes in the toxic's direction.</summary>
    public const string LimitData = "limit_data";
}
