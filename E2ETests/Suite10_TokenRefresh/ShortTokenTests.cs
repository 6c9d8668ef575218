using AspireResilience.E2ETests.Suite04_ExpiredToken;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite10_TokenRefresh;

/// <summary>
/// Suite10 on 2-second tokens (<see cref="ShortTokenEnvironment"/>): <c>token.expiring</c> at the
/// lead time, 4001 at expiry + grace without a refresh (or after a rejected one), and the client
/// library keeping a 30-second stream alive by refreshing on its own.
/// </summary>
[TestClass]
[TestCategory("Suite10")]
public sealed class ShortTokenTests : E2ETest<ShortTokenEnvironment>
{
    /// <summary>How far a frame's arrival may trail the moment the server was due to send it (a loaded 2-core machine).</summary>
    private static readonly TimeSpan Lateness = TimeSpan.FromMilliseconds(500);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task TokenExpiringArrivesAtTheConfiguredLeadBeforeExpiry()
    {
        var expires = WholeSecondsNow().AddSeconds(4);
        await using var raw = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await raw.HelloAsync(TokenForge.Load(Env.DataDirectory).Create(Env.Users.Next().Name, expires: expires));

        var received = await raw.ReceiveAsync(TimeSpan.FromSeconds(10));
        var arrivedAt = DateTimeOffset.UtcNow;

        var expiring = received.Message as TokenExpiringMessage ?? throw new AssertFailedException($"expected token.expiring, got {received.Json}");
        Assert.AreEqual(expires.ToUnixTimeMilliseconds(), expiring.ExpiresAt);
        AssertArrivedAt(expires - ShortTokenEnvironment.ExpiryLead, arrivedAt, "token.expiring");
    }

    [TestMethod]
    public async Task WithoutAValidRefreshTheConnectionIsClosed4001AtExpiryPlusGrace()
    {
        var forge = TokenForge.Load(Env.DataDirectory);
        var expires = WholeSecondsNow().AddSeconds(3);
        await using var silent = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await using var rejected = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await silent.HelloAsync(forge.Create(Env.Users.Next().Name, expires: expires));
        var user = Env.Users.Next().Name;
        await rejected.HelloAsync(forge.Create(user, expires: expires));

        // One never refreshes; the other answers token.expiring with an expired token, which the
        // server refuses (error) while the old token stays in force until its own expiry.
        var silentClose = CloseAsync(silent);
        var expiring = await rejected.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.IsInstanceOfType<TokenExpiringMessage>(expiring.Message, expiring.Json);
        await rejected.SendAsync(ProtocolJson.Serialize(new RefreshMessage(forge.Create(user, expires: WholeSecondsNow().AddSeconds(-30)))),
            System.Net.WebSockets.WebSocketMessageType.Text);
        var error = await rejected.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(ErrorCodes.InvalidToken, (error.Message as ErrorMessage)?.Code, error.Json);
        var rejectedClose = CloseAsync(rejected);

        foreach (var (name, close) in new[] { ("no refresh", await silentClose), ("rejected refresh", await rejectedClose) })
        {
            Assert.AreEqual(CloseCodes.TokenExpired, close.Code, name);
            AssertArrivedAt(expires + ShortTokenEnvironment.Grace, close.At, $"4001 ({name})");
        }
    }

    [TestMethod]
    public async Task ThirtySecondsOfStreamingOnTwoSecondTokensHasNoDisconnect()
    {
        const string first = "tell me a long story about heartbeats";
        const string second = "and now one about backoff";
        // The references stream alongside: same prompts, same history, sessions of their own.
        var referenceFirst = ReferenceAnswers.UninterruptedAsync(Env, first);
        var referenceSecond = ReferenceAnswers.UninterruptedAsync(Env, second, first);
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;

        await session.SendPromptAsync("first", first, Timeouts.Token());
        var answerFirst = await session.ReadAnswerAsync("first", expectedFirstSeq: 1);
        await session.SendPromptAsync("second", second, Timeouts.Token());
        var answerSecond = await session.ReadAnswerAsync("second", expectedFirstSeq: answerFirst.Events[^1].Seq + 1);

        Assert.AreEqual((await referenceFirst).Text, answerFirst.Text);
        Assert.AreEqual((await referenceSecond).Text, answerSecond.Text);
        ConnectionAssert.StillOnTheFirstConnection(session);
        Assert.AreEqual(0, session.GapsDetected);
        Assert.AreEqual(0, session.DuplicatesDropped);
        var sessionId = session.SessionId;
        var runs = await Env.Telemetry.WaitForSpansAsync(ResourceNames.Backend, null, "agent.run", 2, Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId);
        var streamed = runs[^1].End - runs[0].Start;
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(29), streamed, "the session streamed for 30 s (agent.run spans)");

        // Every refresh shows in the traces: the client's span and the Backend's, none rejected. The
        // session refreshes for as long as it lives: end it first, so the counts hold still.
        await client.DisposeAsync();
        var refreshes = (int)session.TokenRefreshes;
        Assert.IsGreaterThanOrEqualTo((int)(streamed / ShortTokenEnvironment.TokenLifetime), refreshes, "at least one refresh per token lifetime");
        var clientSpans = Env.ClientSpans.Finished.Where(a => a.OperationName == ClientTelemetry.TokenRefreshSpan
            && (string?)a.GetTagItem(ClientTelemetry.SessionId) == sessionId && a.Status != System.Diagnostics.ActivityStatusCode.Error).ToArray();
        Assert.HasCount(refreshes, clientSpans, "one client.token.refresh span per confirmed refresh");
        var backendSpans = await Env.Telemetry.WaitForSpansAsync(ResourceNames.Backend, null, "token.refresh", refreshes, Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId);
        // One more at most: a refresh the Backend answered while the client was closing.
        Assert.IsLessThanOrEqualTo(refreshes + 1, backendSpans.Count, "one Backend token.refresh span per refresh");
        Assert.IsFalse(backendSpans.Any(s => s.Attributes.ContainsKey("error.type")), "every refresh was accepted");
        foreach (var span in clientSpans)
        {
            Budget.AssertWithin("in-band token refresh, 2 s tokens, client (refresh → refreshed)", span.Duration, TokenRefreshTests.RefreshBudget, "client.token.refresh span");
        }
        foreach (var span in backendSpans)
        {
            Budget.AssertWithin("in-band token refresh, 2 s tokens, backend", span.Duration, TokenRefreshTests.BackendRefreshBudget, "backend token.refresh span");
        }
        TestContext.WriteLine($"streamed {streamed.TotalSeconds:F1} s on {ShortTokenEnvironment.TokenLifetime.TotalSeconds} s tokens: " +
            $"{refreshes} in-band refreshes, 0 disconnects; client refresh p50 {Median(clientSpans.Select(a => a.Duration)):F1} ms, " +
            $"backend p50 {Median(backendSpans.Select(s => s.Duration)):F1} ms");
    }

    private static async Task<(int? Code, DateTimeOffset At)> CloseAsync(RawClient client)
    {
        var (close, _) = await client.ReceiveCloseAsync(TimeSpan.FromSeconds(15));
        return ((int?)close.CloseStatus, DateTimeOffset.UtcNow);
    }

    /// <summary>The frame came when the server was due to send it: not before, and not much after.</summary>
    private static void AssertArrivedAt(DateTimeOffset due, DateTimeOffset arrivedAt, string what)
    {
        var late = arrivedAt - due;
        Assert.IsTrue(late >= TimeSpan.FromMilliseconds(-50) && late < Lateness,
            $"{what} arrived {late.TotalMilliseconds:F0} ms after it was due (expected 0..{Lateness.TotalMilliseconds} ms)");
    }

    private static double Median(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Select(d => d.TotalMilliseconds).Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static DateTimeOffset WholeSecondsNow() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
}
