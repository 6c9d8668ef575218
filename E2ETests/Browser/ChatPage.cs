using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AspireResilience.E2ETests.Browser;

/// <summary>
/// The Backend's chat page (Backend/wwwroot) as a user sees it, in real Chromium. Every wait is
/// one of Playwright's auto-waiting expectations or a condition checked at each animation frame:
/// no fixed sleeps.
/// </summary>
public sealed partial class ChatPage(IPage page)
{
    /// <summary>Long enough for a SIGKILLed Backend to come back (seen 3–5 s) and a 35 s token's refresh (5 s).</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 20_000 };

    public IPage Page => page;
    public ILocator Connection => page.Locator("#connection");
    public ILocator Log => page.Locator("#log li");
    public ILocator Turns => page.Locator(".turn");

    public static async Task<ChatPage> OpenAsync(IBrowserContext context, Uri address)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(address.ToString());
        return new ChatPage(page);
    }

    public async Task SignInAsync((string Name, string Password) user)
    {
        await page.GetByLabel("User").FillAsync(user.Name);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Connection).ToHaveTextAsync("connected", Slow);
        // Signed in, the form (and the password field) is gone.
        await Expect(page.GetByLabel("Password")).ToBeHiddenAsync();
    }

    /// <summary>Types and sends a prompt; returns the index of its turn on the page.</summary>
    public async Task<int> SendAsync(string text)
    {
        var index = await Turns.CountAsync();
        await page.GetByPlaceholder("Ask something").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        return index;
    }

    /// <summary>Waits until turn <paramref name="index"/> is streaming and shows at least <paramref name="chunks"/> chunks (checked every frame: a run lasts about a second).</summary>
    public Task WaitForStreamingAsync(int index, int chunks) =>
        page.WaitForFunctionAsync(
            "([i, n]) => { const t = document.querySelectorAll('.turn')[i]; return !!t && t.dataset.state === 'streaming' && Number(t.dataset.chunks) >= n; }",
            new object[] { index, chunks }, new() { Timeout = 20_000 });

    /// <summary>Waits for turn <paramref name="index"/>'s <c>stream.end</c> and returns the answer as shown, with its chunk count.</summary>
    public async Task<(string Text, int Chunks)> WaitForAnswerAsync(int index)
    {
        var turn = Turns.Nth(index);
        await Expect(turn).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 20_000 });
        var text = await turn.Locator(".answer").TextContentAsync() ?? "";
        var chunks = int.Parse(await turn.GetAttributeAsync("data-chunks") ?? "0", CultureInfo.InvariantCulture);
        return (text, chunks);
    }

    public Task ExpectConnectionAsync(Regex state) => Expect(Connection).ToHaveTextAsync(state, Slow);

    /// <summary>Waits for exactly one log entry matching <paramref name="entry"/> (or, with <paramref name="atLeast"/>, the first of several).</summary>
    public Task ExpectLogAsync(Regex entry, bool atLeast = false)
    {
        var matching = Log.Filter(new() { HasTextRegex = entry });
        return atLeast
            ? Expect(matching.First).ToBeAttachedAsync(new() { Timeout = 20_000 })
            : Expect(matching).ToHaveCountAsync(1, new() { Timeout = 20_000 });
    }

    /// <summary>
    /// Waits until the server has answered every <c>refresh</c> the page sent with <c>refreshed</c>
    /// (frames on one socket are answered in order, so equal counts mean the last one too).
    /// </summary>
    public Task WaitForRefreshesAnsweredAsync() =>
        page.WaitForFunctionAsync("""
            () => {
              const log = [...document.querySelectorAll('#log li')].map(e => e.textContent);
              const sent = log.filter(t => t.includes('refresh sent')).length;
              return sent > 0 && log.filter(t => t.includes('token refreshed in-band')).length === sent;
            }
            """, null, new() { Timeout = 20_000 });

    public async Task<IReadOnlyList<string>> LogEntriesAsync() => await Log.AllTextContentsAsync();

    /// <summary>The downtime the page measured for its last resume ("resumed (N messages) after M ms").</summary>
    public async Task<TimeSpan> LastResumeDowntimeAsync()
    {
        var entry = (await LogEntriesAsync()).Last(e => e.Contains("resumed (", StringComparison.Ordinal));
        return TimeSpan.FromMilliseconds(int.Parse(Downtime().Match(entry).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Saves the page as it looks now under <c>artifacts/browser/</c> and attaches it to the test result.</summary>
    public async Task ScreenshotAsync(TestContext context)
    {
        var path = RepositoryRoot.Artifact("browser", $"{context.TestName}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        context.AddResultFile(path);
    }

    [GeneratedRegex(@"after (\d+) ms")]
    private static partial Regex Downtime();
}
