namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// The soak's fault schedule as a pure function of its seed, so a failing run is replayed by
/// passing the same seed. Kinds come in rounds, each a seeded shuffle of all of them (a "bag"),
/// so every kind appears once per round and a short run still covers them all; gaps, targets
/// and hold times are drawn from the same generator.
/// </summary>
public static class FaultPlan
{
    /// <summary>The faults for <paramref name="seed"/>, without end; the runner takes as many as its duration allows.</summary>
    public static IEnumerable<PlannedFault> For(int seed, FaultTimings timings)
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<FaultKind>();
        for (var number = 1; ;)
        {
            var round = kinds.ToArray();
            random.Shuffle(round);
            foreach (var kind in round)
            {
                var gap = Between(random, timings.MinGap, timings.MaxGap);
                var hold = Between(random, timings.MinHold, timings.MaxHold);
                yield return new PlannedFault(number++, gap, kind, random.Next(1 << 16), hold);
            }
        }
    }

    private static TimeSpan Between(Random random, TimeSpan min, TimeSpan max) =>
        min + (max - min) * random.NextDouble();
}
