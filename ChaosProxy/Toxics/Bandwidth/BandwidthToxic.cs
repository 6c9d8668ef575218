namespace AspireResilience.ChaosProxy.Toxics.Bandwidth;

/// <summary>
/// Throttles a direction to <see cref="BandwidthOptions.Rate"/>: each piece (at most 100 ms worth)
/// is released when an ideal link of that rate would have delivered it. The schedule is kept per
/// connection and measured against the clock, so timer overshoot does not accumulate.
/// </summary>
internal sealed class BandwidthToxic(ToxicSettings settings, BandwidthOptions options) : Toxic(settings)
{
    public const string TypeName = "bandwidth";

    public override string Type => TypeName;

    public override IReadOnlyDictionary<string, long> Attributes => new Dictionary<string, long> { ["rate"] = options.Rate };

    public static Toxic Create(ToxicSettings settings, ToxicAttributeReader attributes) =>
        new BandwidthToxic(settings, new BandwidthOptions { Rate = attributes.Get("rate", 0) });

    public override object? Attach(IToxicContext context) => new Schedule { NextDue = long.MinValue };

    public override async ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken)
    {
        if (options.Rate <= 0)
        {
            await next.ForwardAsync(data, timestamp, cancellationToken);
            return;
        }

        var schedule = (Schedule)state!;
        var timeProvider = next.Context.TimeProvider;
        var bytesPerSecond = options.Rate * 1000;
        var pieceSize = (int)Math.Clamp(bytesPerSecond / 10, 1, int.MaxValue);

        // An idle link earns no credit (no burst after a pause), but within a chunk the pieces
        // are chained on the ideal schedule so a late timer does not slow the rate down.
        schedule.NextDue = Math.Max(schedule.NextDue, timeProvider.GetTimestamp());
        while (!data.IsEmpty)
        {
            var piece = data[..Math.Min(pieceSize, data.Length)];
            schedule.NextDue += piece.Length * timeProvider.TimestampFrequency / bytesPerSecond;
            if (!await ToxicTiming.DelayUntilAsync(timeProvider, schedule.NextDue, Removed, cancellationToken))
            {
                await next.ForwardAsync(data, timestamp, cancellationToken);
                return;
            }

            await next.ForwardAsync(piece, timestamp, cancellationToken);
            data = data[piece.Length..];
        }
    }

    private sealed class Schedule
    {
        public long NextDue { get; set; }
    }
}
