using System.Globalization;

namespace AspireResilience.E2ETests.Soak;

/// <summary>
/// The soak's settings in <c>./test.sh</c>: the defaults (50 clients, 2 minutes, a new seed per
/// run), or <c>SOAK_CLIENTS</c>, <c>SOAK_DURATION</c> (seconds) and <c>SOAK_SEED</c> from the
/// environment, e.g. to replay a failed run's seed.
/// </summary>
public static class SoakRunSettings
{
    public static SoakOptions FromEnvironment()
    {
        var defaults = new SoakOptions();
        return defaults with
        {
            Clients = Read("SOAK_CLIENTS") ?? defaults.Clients,
            Duration = Read("SOAK_DURATION") is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.Duration,
            Seed = Read("SOAK_SEED") ?? defaults.Seed,
        };
    }

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : null;
}
