namespace AspireResilience.ChaosProxy.Toxics.Timeout;

/// <summary>
/// A blackhole: no data (nor EOF) gets through while the toxic is in place. Unlike Toxiproxy,
/// which drops the data, the bytes stay queued and the proxy stops reading (back-pressure, as
/// on a partitioned link): when the toxic is removed the stream resumes intact. With a
/// non-zero timeout the connection is closed when it elapses.
/// </summary>
internal sealed class TimeoutToxic(ToxicSettings settings, TimeoutOptions options) : Toxic(settings)
{
    public const string TypeName = "timeout";

    public override string Type => TypeName;

    public override IReadOnlyDictionary<string, long> Attributes => new Dictionary<string, long>
    {
        ["timeout"] = (long)options.Timeout.TotalMilliseconds,
    };

    public static Toxic Create(ToxicSettings settings, ToxicAttributeReader attributes) =>
        new TimeoutToxic(settings, new TimeoutOptions { Timeout = attributes.GetMilliseconds("timeout", TimeSpan.Zero) });

    public override object? Attach(IToxicContext context)
    {
        if (options.Timeout > TimeSpan.Zero)
        {
            _ = CloseLaterAsync(context);
        }

        return null;
    }

    public override async ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken)
    {
        await HoldAsync(next.Context, cancellationToken);
        await next.ForwardAsync(data, timestamp, cancellationToken);
    }

    public override async ValueTask OnEndAsync(ToxicChain next, long timestamp, object? state, CancellationToken cancellationToken)
    {
        await HoldAsync(next.Context, cancellationToken);
        await next.EndAsync(timestamp, cancellationToken);
    }

    // Returns only when the toxic is removed; throws when the connection ends.
    private ValueTask<bool> HoldAsync(IToxicContext context, CancellationToken cancellationToken) =>
        ToxicTiming.DelayAsync(context.TimeProvider, System.Threading.Timeout.InfiniteTimeSpan, Removed, cancellationToken);

    private async Task CloseLaterAsync(IToxicContext context)
    {
        try
        {
            if (await ToxicTiming.DelayAsync(context.TimeProvider, options.Timeout, Removed, context.Closed))
            {
                context.Close($"timeout toxic '{Name}' elapsed");
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first.
        }
    }
}
