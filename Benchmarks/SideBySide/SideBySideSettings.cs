namespace AspireResilience.Benchmarks.SideBySide;

/// <summary>How much each measure does per repetition: <c>--quick</c> (under 2 minutes) or the default (under 10).</summary>
internal sealed record SideBySideSettings(bool Quick, int Repetitions, int Handshakes, int Resumes, int KillStreams, int Chunks, int Streams,
    int Refreshes, int IdleSessions, int StormSessions, int RoundTrips, int BulkMib, int Users, int SingleProcessSessions)
{
    public static SideBySideSettings From(string[] args)
    {
        var quick = args.Contains("--quick");
        var settings = quick
            ? new SideBySideSettings(true, 3, 40, 40, 8, 200, 10, 100, 1_000, 200, 2_000, 8, 50, 20)
            : new SideBySideSettings(false, 3, 200, 200, 30, 200, 40, 1_000, 5_000, 1_000, 20_000, 64, 50, 50);
        return settings with
        {
            Repetitions = Math.Max(3, BenchmarkArgs.Int(args, "--repetitions", settings.Repetitions)),
            IdleSessions = BenchmarkArgs.Int(args, "--sessions", settings.IdleSessions),
        };
    }
}
