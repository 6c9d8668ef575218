namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>The connection a toxic acts on, as far as a toxic needs to know it.</summary>
internal interface IToxicContext
{
    /// <summary>The clock every toxic delay is measured with.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Returns a number in [0, 1); jitter, toxicity and slice sizes draw from it.</summary>
    Func<double> Randomizer { get; }

    /// <summary>Cancelled once the connection is being closed or reset, for whatever reason.</summary>
    CancellationToken Closed { get; }

    /// <summary>Closes both sides with FIN. Idempotent; the first close or reset wins.</summary>
    void Close(string reason);

    /// <summary>Resets both sides with RST (no FIN, nothing flushed). Idempotent; the first close or reset wins.</summary>
    void Reset(string reason);
}
