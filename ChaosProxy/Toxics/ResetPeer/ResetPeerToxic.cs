namespace AspireResilience.ChaosProxy.Toxics.ResetPeer;

/// <summary>Resets both sides of the connection with RST: no FIN, no close frame, buffers discarded.</summary>
internal sealed class ResetPeerToxic(ToxicSettings settings, ResetPeerOptions options) : Toxic(settings)
{
    public const string TypeName = "reset_peer";

    public override string Type => TypeName;

    public override IReadOnlyDictionary<string, long> Attributes => new Dictionary<string, long>
    {
        ["timeout"] = (long)options.Timeout.TotalMilliseconds,
    };

    public static Toxic Create(ToxicSettings settings, ToxicAttributeReader attributes) =>
        new ResetPeerToxic(settings, new ResetPeerOptions { Timeout = attributes.GetMilliseconds("timeout", TimeSpan.Zero) });

    public override object? Attach(IToxicContext context)
    {
        if (options.Timeout > TimeSpan.Zero)
        {
            _ = ResetLaterAsync(context);
        }

        return null;
    }

    public override ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken)
    {
        if (options.Timeout > TimeSpan.Zero)
        {
            return next.ForwardAsync(data, timestamp, cancellationToken);
        }

        next.Context.Reset($"reset_peer toxic '{Name}'");
        return ValueTask.CompletedTask;
    }

    private async Task ResetLaterAsync(IToxicContext context)
    {
        try
        {
            if (await ToxicTiming.DelayAsync(context.TimeProvider, options.Timeout, Removed, context.Closed))
            {
                context.Reset($"reset_peer toxic '{Name}' elapsed");
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first.
        }
    }
}
