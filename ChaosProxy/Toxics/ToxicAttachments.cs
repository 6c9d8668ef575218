namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>
/// The toxics one connection has seen: whether each applies (toxicity, drawn once per
/// connection and toxic instance) and its per-connection state. Both directions share it.
/// </summary>
internal sealed class ToxicAttachments
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Toxic, Attachment> _attachments = new(ReferenceEqualityComparer.Instance);

    /// <summary>Pure decision: does a toxic with <paramref name="toxicity"/> apply, given a draw in [0, 1)?</summary>
    public static bool Applies(double toxicity, double draw) => toxicity >= 1.0 || draw < toxicity;

    /// <summary>Attaches (once) and tells whether the toxic acts on this connection.</summary>
    public bool TryGetActive(Toxic toxic, IToxicContext context, out object? state)
    {
        state = null;
        if (toxic.IsRemoved)
        {
            return false;
        }

        Attachment attachment;
        lock (_lock)
        {
            if (!_attachments.TryGetValue(toxic, out attachment!))
            {
                var applies = Applies(toxic.Toxicity, context.Randomizer());
                attachment = new Attachment(applies, applies ? toxic.Attach(context) : null);
                _attachments.Add(toxic, attachment);
            }
        }

        state = attachment.State;
        return attachment.Applies;
    }

    /// <summary>Attaches every toxic of <paramref name="toxics"/> now (so timers start) and forgets removed ones.</summary>
    public void Synchronize(ToxicSet toxics, IToxicContext context)
    {
        foreach (var toxic in toxics.All)
        {
            _ = TryGetActive(toxic, context, out _);
        }

        lock (_lock)
        {
            foreach (var removed in _attachments.Keys.Where(t => t.IsRemoved).ToList())
            {
                _attachments.Remove(removed);
            }
        }
    }

    private sealed record Attachment(bool Applies, object? State);
}
