namespace AspireResilience.ChaosProxy.Client;

/// <summary>
/// A fault on one direction of every connection of a proxy, as the API shows it. Build one with
/// the factory methods, adjust with <c>with</c> (e.g. <c>Toxic.Latency(200) with { Toxicity = 0.5 }</c>).
/// </summary>
/// <param name="Name">Unique within the proxy; Toxiproxy's default is <c>{type}_{stream}</c>.</param>
/// <param name="Type">One of <see cref="ToxicTypes"/>.</param>
/// <param name="Stream">The direction it acts on.</param>
/// <param name="Toxicity">Probability (0..1) that it applies to a given connection, drawn once per connection.</param>
/// <param name="Attributes">The type's attributes (milliseconds, microseconds, bytes or KB/s, as documented per type).</param>
public sealed record Toxic(string Name, string Type, ToxicStream Stream, double Toxicity, IReadOnlyDictionary<string, long> Attributes)
{
    /// <summary>Delays every chunk by <paramref name="latencyMs"/> ± <paramref name="jitterMs"/>, keeping order.</summary>
    /// <param name="latencyMs">Added delay, milliseconds.</param>
    /// <param name="jitterMs">Uniform spread around the delay, milliseconds.</param>
    /// <param name="stream">Direction; downstream (server to client) by default.</param>
    /// <param name="name">Toxic name; <c>latency_{stream}</c> by default.</param>
    public static Toxic Latency(int latencyMs, int jitterMs = 0, ToxicStream stream = ToxicStream.Downstream, string? name = null) =>
        Create(ToxicTypes.Latency, stream, name, ("latency", latencyMs), ("jitter", jitterMs));

    /// <summary>Throttles the direction to <paramref name="rateKilobytesPerSecond"/> (KB = 1000 bytes).</summary>
    /// <param name="rateKilobytesPerSecond">Rate in KB/s; 0 means unlimited.</param>
    /// <param name="stream">Direction; downstream by default.</param>
    /// <param name="name">Toxic name; <c>bandwidth_{stream}</c> by default.</param>
    public static Toxic Bandwidth(long rateKilobytesPerSecond, ToxicStream stream = ToxicStream.Downstream, string? name = null) =>
        Create(ToxicTypes.Bandwidth, stream, name, ("rate", rateKilobytesPerSecond));

    /// <summary>Delays the end of the stream (FIN) by <paramref name="delayMs"/>; data is not delayed.</summary>
    /// <param name="delayMs">Delay before the close propagates, milliseconds.</param>
    /// <param name="stream">Direction; downstream by default.</param>
    /// <param name="name">Toxic name; <c>slow_close_{stream}</c> by default.</param>
    public static Toxic SlowClose(int delayMs, ToxicStream stream = ToxicStream.Downstream, string? name = null) =>
        Create(ToxicTypes.SlowClose, stream, name, ("delay", delayMs));

    /// <summary>
    /// Blackholes the direction: no data flows (it stays queued and resumes intact when the toxic
    /// is removed); the connection is closed after <paramref name="timeoutMs"/>, or never when 0
    /// (the connection stays half-open).
    /// </summary>
    /// <param name="timeoutMs">Milliseconds until the connection is closed; 0 = hold forever.</param>
    /// <param name="stream">Direction; downstream by default.</param>
    /// <param name="name">Toxic name; <c>timeout_{stream}</c> by default.</param>
    public static Toxic Timeout(int timeoutMs, ToxicStream stream = ToxicStream.Downstream, string? name = null) =>
        Create(ToxicTypes.Timeout, stream, name, ("timeout", timeoutMs));

    /// <summary>
    /// Resets both sides with TCP RST (no FIN, no close frame): on the next data in
    /// <paramref name="stream"/> when <paramref name="timeoutMs"/> is 0, otherwise that long after
    /// the toxic takes effect on each connection.
    /// </summary>
    /// <param name="timeoutMs">Milliseconds until the reset; 0 = on the next data.</param>
    /// <param name="stream">Direction whose data triggers the reset; downstream by default.</param>
    /// <param name="name">Toxic name; <c>reset_peer_{stream}</c> by default.</param>
    public static Toxic ResetPeer(int timeoutMs = 0, ToxicStream stream = ToxicStream.Downstream, string? name = null) =>
        Create(ToxicTypes.ResetPeer, stream, name, ("timeout", timeoutMs));

    /// <summary>Splits data into slices written separately, with a pause between them.</summary>
    /// <param name="averageSize">Average slice size, bytes (at least 1).</param>
    /// <param name="sizeVariation">Uniform spread of the slice size, bytes (less than <paramref name="averageSize"/>).</param>
    /// <param name="delayMicroseconds">Pause between slices, microseconds.</param>
    /// <param name="stream">Direction; downstream by default.</param>
    /// <param name="name">Toxic name; <c>slicer_{stream}</c> by default.</param>
    public static Toxic Slicer(int averageSize, int sizeVariation = 0, int delayMicroseconds = 0, ToxicStream stream = ToxicStream.Downstream, string? name = null) =>
        Create(ToxicTypes.Slicer, stream, name, ("average_size", averageSize), ("size_variation", sizeVariation), ("delay", delayMicroseconds));

    /// <summary>Closes the connection once <paramref name="bytes"/> bytes have passed in the direction (exactly that many are delivered).</summary>
    /// <param name="bytes">Bytes allowed through.</param>
    /// <param name="stream">Direction; downstream by default.</param>
    /// <param name="name">Toxic name; <c>limit_data_{stream}</c> by default.</param>
    public static Toxic LimitData(long bytes, ToxicStream stream = ToxicStream.Downstream, string? name = null) =>
        Create(ToxicTypes.LimitData, stream, name, ("bytes", bytes));

    private static Toxic Create(string type, ToxicStream stream, string? name, params (string Key, long Value)[] attributes) => new(
        name ?? $"{type}_{(stream == ToxicStream.Upstream ? "upstream" : "downstream")}",
        type,
        stream,
        1.0,
        attributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal));
}
