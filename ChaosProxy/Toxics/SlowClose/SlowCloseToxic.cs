namespace AspireResilience.ChaosProxy.Toxics.SlowClose;

/// <summary>Delays the propagation of EOF; data passes untouched.</summary>
internal sealed class SlowCloseToxic(ToxicSettings settings, SlowCloseOptions options) : Toxic(settings)
{
    public const string TypeName = "slow_close";

    public override string Type => TypeName;

    public override IReadOnlyDictionary<string, long> Attributes => new Dictionary<string, long>
    {
        ["delay"] = (long)options.Delay.TotalMilliseconds,
    };

    public static Toxic Create(ToxicSettings settings, ToxicAttributeReader attributes) =>
        new SlowCloseToxic(settings, new SlowCloseOptions { Delay = attributes.GetMilliseconds("delay", TimeSpan.Zero) });

    public override ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken) =>
        next.ForwardAsync(data, timestamp, cancellationToken);

    public override async ValueTask OnEndAsync(ToxicChain next, long timestamp, object? state, CancellationToken cancellationToken)
    {
        await ToxicTiming.DelayAsync(next.Context.TimeProvider, options.Delay, Removed, cancellationToken);
        await next.EndAsync(timestamp, cancellationToken);
    }
}
