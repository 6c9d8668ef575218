namespace AspireResilience.ChaosProxy.Toxics.Latency;

/// <summary>Delays each chunk (and the end of the stream) by latency ± jitter, preserving order.</summary>
internal sealed class LatencyToxic(ToxicSettings settings, LatencyOptions options) : Toxic(settings)
{
    public const string TypeName = "latency";

    public override string Type => TypeName;

    public LatencyOptions Options => options;

    public override IReadOnlyDictionary<string, long> Attributes => new Dictionary<string, long>
    {
        ["latency"] = (long)options.Latency.TotalMilliseconds,
        ["jitter"] = (long)options.Jitter.TotalMilliseconds,
    };

    public static Toxic Create(ToxicSettings settings, ToxicAttributeReader attributes) => new LatencyToxic(settings, new LatencyOptions
    {
        Latency = attributes.GetMilliseconds("latency", TimeSpan.Zero),
        Jitter = attributes.GetMilliseconds("jitter", TimeSpan.Zero),
    });

    /// <summary>Pure: the delay for one chunk, latency + jitter × (2·draw − 1), clamped at zero.</summary>
    public static TimeSpan NextDelay(LatencyOptions options, Func<double> randomizer)
    {
        if (options.Jitter <= TimeSpan.Zero)
        {
            return options.Latency;
        }

        var delay = options.Latency + (options.Jitter * ((2 * randomizer()) - 1));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    public override async ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken)
    {
        var due = await WaitAsync(next.Context, timestamp, cancellationToken);
        await next.ForwardAsync(data, due, cancellationToken);
    }

    public override async ValueTask OnEndAsync(ToxicChain next, long timestamp, object? state, CancellationToken cancellationToken)
    {
        var due = await WaitAsync(next.Context, timestamp, cancellationToken);
        await next.EndAsync(due, cancellationToken);
    }

    // Returns the moment the chunk leaves this toxic, so two latency toxics add up.
    private async ValueTask<long> WaitAsync(IToxicContext context, long timestamp, CancellationToken cancellationToken)
    {
        var timeProvider = context.TimeProvider;
        var due = ToxicTiming.Add(timeProvider, timestamp, NextDelay(options, context.Randomizer));
        return await ToxicTiming.DelayUntilAsync(timeProvider, due, Removed, cancellationToken) ? due : timeProvider.GetTimestamp();
    }
}
