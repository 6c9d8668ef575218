namespace AspireResilience.ChaosProxy.Toxics.Slicer;

/// <summary>Splits each chunk into small slices, each written separately, with a pause between them.</summary>
internal sealed class SlicerToxic(ToxicSettings settings, SlicerOptions options) : Toxic(settings)
{
    public const string TypeName = "slicer";

    public override string Type => TypeName;

    public override IReadOnlyDictionary<string, long> Attributes => new Dictionary<string, long>
    {
        ["average_size"] = options.AverageSize,
        ["size_variation"] = options.SizeVariation,
        ["delay"] = (long)options.Delay.TotalMicroseconds,
    };

    public static Toxic Create(ToxicSettings settings, ToxicAttributeReader attributes)
    {
        var average = attributes.Get("average_size", 64);
        var variation = attributes.Get("size_variation", 0);
        var delay = attributes.Get("delay", 0);
        if (average < 1)
        {
            throw new ArgumentException("attribute 'average_size' must be at least 1");
        }

        if (variation >= average)
        {
            throw new ArgumentException("attribute 'size_variation' must be less than 'average_size'");
        }

        return new SlicerToxic(settings, new SlicerOptions
        {
            AverageSize = (int)average,
            SizeVariation = (int)variation,
            Delay = TimeSpan.FromMicroseconds(delay),
        });
    }

    /// <summary>Pure: the size of the next slice, average + variation × (2·draw − 1), at least 1.</summary>
    public static int NextSize(SlicerOptions options, Func<double> randomizer)
    {
        if (options.SizeVariation <= 0)
        {
            return options.AverageSize;
        }

        var size = options.AverageSize + (int)Math.Round(options.SizeVariation * ((2 * randomizer()) - 1));
        return Math.Max(1, size);
    }

    public override async ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken)
    {
        var context = next.Context;
        var due = context.TimeProvider.GetTimestamp();
        while (!data.IsEmpty)
        {
            var slice = data[..Math.Min(NextSize(options, context.Randomizer), data.Length)];
            await next.ForwardAsync(slice, timestamp, cancellationToken);
            data = data[slice.Length..];
            if (data.IsEmpty || options.Delay <= TimeSpan.Zero)
            {
                continue;
            }

            due = ToxicTiming.Add(context.TimeProvider, due, options.Delay);
            if (!await ToxicTiming.DelayUntilAsync(context.TimeProvider, due, Removed, cancellationToken))
            {
                await next.ForwardAsync(data, timestamp, cancellationToken);
                return;
            }
        }
    }
}
