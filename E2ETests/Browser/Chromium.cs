using Microsoft.Playwright;

namespace AspireResilience.E2ETests.Browser;

/// <summary>
/// Debian's Chromium (installed by eng/prerequisites.sh) driven by Playwright. Playwright's own
/// browser download does not work on these machines and is never used.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: run eng/prerequisites.sh (it installs Debian's chromium).");
        }
        // --no-sandbox: the suite runs as root in CI, where Chromium's sandbox refuses to start.
        return await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
    }
}
