using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using AspireResilience.ChaosProxy.Toxics.Bandwidth;
using AspireResilience.ChaosProxy.Toxics.Latency;
using AspireResilience.ChaosProxy.Toxics.LimitData;
using AspireResilience.ChaosProxy.Toxics.ResetPeer;
using AspireResilience.ChaosProxy.Toxics.Slicer;
using AspireResilience.ChaosProxy.Toxics.SlowClose;
using AspireResilience.ChaosProxy.Toxics.Timeout;

namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>The toxic types by their Toxiproxy names, and the wire names of the streams.</summary>
internal static class ToxicCatalog
{
    public const string UpstreamName = "upstream";
    public const string DownstreamName = "downstream";

    private static readonly FrozenDictionary<string, Func<ToxicSettings, ToxicAttributeReader, Toxic>> Factories =
        new Dictionary<string, Func<ToxicSettings, ToxicAttributeReader, Toxic>>(StringComparer.Ordinal)
        {
            [LatencyToxic.TypeName] = LatencyToxic.Create,
            [BandwidthToxic.TypeName] = BandwidthToxic.Create,
            [SlowCloseToxic.TypeName] = SlowCloseToxic.Create,
            [TimeoutToxic.TypeName] = TimeoutToxic.Create,
            [ResetPeerToxic.TypeName] = ResetPeerToxic.Create,
            [SlicerToxic.TypeName] = SlicerToxic.Create,
            [LimitDataToxic.TypeName] = LimitDataToxic.Create,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string TypeNames => string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal));

    public static bool IsKnownType(string type) => Factories.ContainsKey(type);

    /// <summary>Creates a toxic, or says in one sentence why the attributes are not acceptable.</summary>
    public static bool TryCreate(
        string type,
        ToxicSettings settings,
        IReadOnlyDictionary<string, long> attributes,
        [NotNullWhen(true)] out Toxic? toxic,
        [NotNullWhen(false)] out string? error)
    {
        toxic = null;
        if (!Factories.TryGetValue(type, out var factory))
        {
            error = $"unknown toxic type '{type}'; expected one of: {TypeNames}";
            return false;
        }

        try
        {
            var reader = new ToxicAttributeReader(type, attributes);
            toxic = factory(settings, reader);
            reader.EnsureNoUnknownAttributes();
            error = null;
            return true;
        }
        catch (ArgumentException exception)
        {
            toxic = null;
            error = exception.Message;
            return false;
        }
    }

    public static bool TryParseStream(string? value, out ToxicStream stream)
    {
        switch (value)
        {
            case null or "" or DownstreamName:
                stream = ToxicStream.Downstream;
                return true;
            case UpstreamName:
                stream = ToxicStream.Upstream;
                return true;
            default:
                stream = default;
                return false;
        }
    }

    public static string Format(ToxicStream stream) => stream == ToxicStream.Upstream ? UpstreamName : DownstreamName;
}
