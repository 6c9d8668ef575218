using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AspireResilience.E2ETests.Browser;

/// <summary>
/// The Backend's chat page in real Chromium against the real AppHost: answers stream in, a cut
/// or a SIGKILL mid-answer is resumed with the answer shown exactly once, the token is refreshed
/// in-band without a visible disconnect, and only the page's own origin may open the socket.
/// Each test leaves a screenshot of its final state in <c>artifacts/browser/</c>.
/// </summary>
[TestClass]
[TestCategory("Browser")]
public sealed class BrowserChatTests : E2ETest<BrowserEnvironment>
{
    // Measured by the page (its own performance.now(), disconnect → welcome), six runs on this
    // machine: ChaosProxy reset → resumed 37–124 ms; Backend SIGKILL + start → resumed 1.9–3.2 s.
    // Generous ceilings (a loaded CI box, Suite05's own 10 s for a kill), not performance goals.
    private static readonly TimeSpan CutRecoveryBudget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillRecoveryBudget = TimeSpan.FromSeconds(10);

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ChatPage? _chat;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The page through DCP's proxy: the address the dashboard's Backend link opens.</summary>
    private static Uri Direct => Http(Env.App.GetEndpoint(ResourceNames.Backend, "http"));

    /// <summary>The page through ChaosProxy, so its socket crosses the proxy the faults are injected in.</summary>
    private static Uri ThroughChaosProxy => Http(Env.App.GetEndpoint(ResourceNames.Chaos, ChaosProxyNames.Endpoint(ChaosProxyNames.Backend)));

    [TestMethod]
    public async Task AnAnswerStreamsIntoThePageChunkByChunk()
    {
        const string prompt = "stream into a browser";
        var chat = await OpenSignedInAsync(Direct);

        var turn = await chat.SendAsync(prompt);
        await chat.WaitForStreamingAsync(turn, chunks: 1);
        var partial = await chat.Turns.Nth(turn).Locator(".answer").TextContentAsync();
        var answer = await chat.WaitForAnswerAsync(turn);

        var reference = await ReferenceAnswers.UninterruptedAsync(Env, prompt);
        Assert.AreEqual(reference.Text, answer.Text, "the page shows the answer byte for byte");
        Assert.AreEqual(reference.Events.Count - 2, answer.Chunks, "every chunk once");
        Assert.IsTrue(answer.Text.StartsWith(partial!, StringComparison.Ordinal) && partial!.Length < answer.Text.Length,
            "the answer was on the page in part before it was complete: it streamed");
        await chat.ExpectConnectionAsync(new Regex("^connected$"));
    }

    [TestMethod]
    public async Task ACutMidAnswerIsResumedAndTheAnswerIsShownExactlyOnce()
    {
        const string prompt = "survive a cut in a browser";
        var chat = await OpenSignedInAsync(ThroughChaosProxy);

        var cut = 0;
        await ResumeThroughFaultAsync(chat, prompt, async () => cut = await Env.ChaosProxy.ResetConnectionsAsync(ChaosProxyNames.Backend, Timeouts.Token()));

        Assert.IsGreaterThanOrEqualTo(1, cut, "the page's socket crossed ChaosProxy and was reset");
        await chat.ExpectLogAsync(new Regex("resuming"));
        Budget.AssertWithin("browser: ChaosProxy reset mid-answer → resumed (page)", await chat.LastResumeDowntimeAsync(), CutRecoveryBudget,
            "the page's disconnect → welcome");
    }

    [TestMethod]
    public async Task TheTokenIsRefreshedInBandWithoutAVisibleDisconnect()
    {
        var chat = await OpenSignedInAsync(ThroughChaosProxy);

        // The server's token.expiring (5 s into a 35 s token) makes the page refresh by itself…
        await chat.ExpectLogAsync(new Regex(@"refresh sent \(token\.expiring\)"), atLeast: true);
        await chat.WaitForRefreshesAnsweredAsync();
        // …and so does the button (token.expiring keeps coming every 5 s meanwhile).
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh token" }).ClickAsync();
        await chat.ExpectLogAsync(new Regex(@"refresh sent \(button\)"));
        await chat.WaitForRefreshesAnsweredAsync();

        var turn = await chat.SendAsync("still there after the refreshes?");
        await chat.WaitForAnswerAsync(turn);
        await chat.ExpectConnectionAsync(new Regex("^connected$"));
        var log = await chat.LogEntriesAsync();
        Assert.HasCount(1, log.Where(e => e.Contains("connected", StringComparison.Ordinal)), "one connection from sign-in to the end: " + string.Join(" | ", log));
        Assert.IsFalse(log.Any(e => e.Contains("resum", StringComparison.Ordinal) || e.Contains("closed", StringComparison.Ordinal)),
            "no disconnect was visible: " + string.Join(" | ", log));
    }

    [TestMethod]
    public async Task ABackendSigkilledMidAnswerIsRecoveredByThePage()
    {
        const string prompt = "survive a kill in a browser";
        var chat = await OpenSignedInAsync(Direct);

        await ResumeThroughFaultAsync(chat, prompt, async () =>
        {
            var pid = await Env.Faults.KillAsync(ResourceNames.Backend);
            await Env.Faults.StartAsync(ResourceNames.Backend, pid);
        });

        Budget.AssertWithin("browser: backend SIGKILL mid-answer → resumed (page)", await chat.LastResumeDowntimeAsync(), KillRecoveryBudget,
            "the page's disconnect → welcome");
    }

    [TestMethod]
    public async Task OnlyThePagesOwnOriginMayOpenTheSocket()
    {
        // A page served through ChaosProxy is another origin than the Backend's own port.
        var chat = _chat = await ChatPage.OpenAsync(await NewContextAsync(), ThroughChaosProxy);
        const string open = """
            url => new Promise(resolve => {
              const socket = new WebSocket(url);
              socket.onopen = () => { socket.close(); resolve('open'); };
              socket.onclose = event => resolve('closed ' + event.code);
            })
            """;
        var own = await chat.Page.EvaluateAsync<string>(open, Env.BackendWebSocket.ToString());
        var other = await chat.Page.EvaluateAsync<string>(open, Env.BackendWebSocketDirect.ToString());
        // What the browser saw, written under the page for the screenshot (the test's only final state).
        await chat.Page.EvaluateAsync("lines => document.body.insertAdjacentHTML('beforeend', '<pre id=\"origin-check\"></pre>') || (document.querySelector('#origin-check').textContent = lines)",
            $"page origin {ThroughChaosProxy.GetLeftPart(UriPartial.Authority)}\n{Env.BackendWebSocket} → {own}\n{Env.BackendWebSocketDirect} → {other}");
        Assert.AreEqual("open", own, "its own origin is admitted");
        Assert.AreEqual("closed 1006", other, "the socket of another origin (another port of the same host) is refused");

        // The same from a plain client that forges the Origin header: another port is another origin.
        var otherPort = new UriBuilder(ThroughChaosProxy) { Port = Direct.Port }.Uri.GetLeftPart(UriPartial.Authority);
        var refused = await Assert.ThrowsAsync<HandshakeRejectedException>(() => RawClient.ConnectAsync(Env.BackendWebSocket, origin: otherPort));
        Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode);
        var foreign = await Assert.ThrowsAsync<HandshakeRejectedException>(() => RawClient.ConnectAsync(Env.BackendWebSocket, origin: "http://evil.example"));
        Assert.AreEqual(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [TestCleanup]
    public async Task ScreenshotAndCloseAsync()
    {
        // The final state, passed or failed: what the user would have seen.
        if (_chat is not null) await _chat.ScreenshotAsync(TestContext);
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>
    /// Sends <paramref name="prompt"/>, runs <paramref name="fault"/> once five chunks are on the
    /// page, and asserts the page resumed and shows the answer exactly as an uninterrupted run gives it.
    /// </summary>
    private static async Task ResumeThroughFaultAsync(ChatPage chat, string prompt, Func<Task> fault)
    {
        var turn = await chat.SendAsync(prompt);
        await chat.WaitForStreamingAsync(turn, chunks: 5);
        await fault();

        var answer = await chat.WaitForAnswerAsync(turn);
        await chat.ExpectConnectionAsync(new Regex(@"^resumed \(\d+ messages\)$"));
        var reference = await ReferenceAnswers.UninterruptedAsync(Env, prompt);
        Assert.AreEqual(reference.Text, answer.Text, "the resumed answer is byte-identical to an uninterrupted one");
        Assert.AreEqual(reference.Events.Count - 2, answer.Chunks, "no chunk lost, none shown twice");
    }

    private async Task<ChatPage> OpenSignedInAsync(Uri address)
    {
        var chat = await ChatPage.OpenAsync(await NewContextAsync(), address);
        _chat = chat;
        await chat.SignInAsync(Env.Users.Next());
        return chat;
    }

    private async Task<IBrowserContext> NewContextAsync()
    {
        _playwright ??= await Playwright.CreateAsync();
        _browser ??= await Chromium.LaunchAsync(_playwright);
        return await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 900, Height = 700 } });
    }

    private static Uri Http(Uri endpoint) => new UriBuilder("http", endpoint.Host, endpoint.Port, "/").Uri;
}
