namespace AspireResilience.ChaosProxy.Toxics.LimitData;

/// <summary>Closes the connection (FIN) once <see cref="LimitDataOptions.Bytes"/> bytes have passed in its direction.</summary>
internal sealed class LimitDataToxic(ToxicSettings settings, LimitDataOptions options) : Toxic(settings)
{
    public const string TypeName = "limit_data";

    public override string Type => TypeName;

    public override IReadOnlyDictionary<string, long> Attributes => new Dictionary<string, long> { ["bytes"] = options.Bytes };

    public static Toxic Create(ToxicSettings settings, ToxicAttributeReader attributes) =>
        new LimitDataToxic(settings, new LimitDataOptions { Bytes = attributes.Get("bytes", 0) });

    public override object? Attach(IToxicContext context) => new Counter();

    public override async ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken)
    {
        var counter = (Counter)state!;
        var allowed = (int)Math.Min(Math.Max(0, options.Bytes - counter.Passed), data.Length);
        if (allowed > 0)
        {
            counter.Passed += allowed;
            await next.ForwardAsync(data[..allowed], timestamp, cancellationToken);
        }

        if (counter.Passed >= options.Bytes)
        {
            next.Context.Close($"limit_data toxic '{Name}' reached {options.Bytes} bytes");
        }
    }

    private sealed class Counter
    {
        public long Passed { get; set; }
    }
}
