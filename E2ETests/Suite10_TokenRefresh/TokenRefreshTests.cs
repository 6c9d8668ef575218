using System.Diagnostics;
using AspireResilience.E2ETests.Suite04_ExpiredToken;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite10_TokenRefresh;

/// <summary>
/// Suite10 on the shared AppHost (5-minute tokens): an in-band <c>refresh</c> on a live connection
/// while an answer streams or a replay is delivered, refreshes with the wrong token, concurrent
/// refreshes of one user, and revocations reaching live sockets. The client library's own
/// refresh timer and the 2 s token lifetime are in <see cref="ShortTokenTests"/>.
/// </summary>
[TestClass]
[TestCategory("Suite10")]
public sealed class TokenRefreshTests : E2ETest<SharedEnvironment>
{
    /// <summary>
    /// An in-band refresh at the client (refresh sent → refreshed received): DESIGN.md §10's
    /// ceiling, about three times the worst seen here (32 ms in Debug, whole machine busy).
    /// </summary>
    public static TimeSpan RefreshBudget { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The Backend's part of an in-band refresh (<c>token.refresh</c>): about three times the worst seen (8.7 ms).</summary>
    public static TimeSpan BackendRefreshBudget { get; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Revocation → socket closed 4003: about three times the worst seen (80 ms, the AuthService's
    /// first access-token revocation); SUITES.md Suite10 #11 requires 1 s.
    /// </summary>
    public static TimeSpan RevocationBudget { get; } = TimeSpan.FromMilliseconds(250);

    private static TokenForge _forge = null!;

    [ClassInitialize]
    public static async Task LoadSigningKeyAsync(TestContext _) => _forge = await TokenForge.LoadAsync(Env);

    [TestMethod]
    public async Task RefreshMidAnswerKeepsTheStreamWithoutGapOrDisconnect()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;

        await MidAnswerFault.StreamThroughAsync(Env, client, "streamed", "refresh me while you talk", atIndex: 5,
            fault: () => session.RefreshTokenAsync(Timeouts.Token()), expectedFirstSeq: 1);

        ConnectionAssert.StillOnTheFirstConnection(session);
        Assert.AreEqual(1L, session.TokenRefreshes);
        await AssertRefreshLatencyAsync(session.SessionId, "mid-answer");
    }

    [TestMethod]
    public async Task RefreshWhileAReplayIsDeliveredLeavesItExactlyOnce()
    {
        const string prompt = "an answer replayed while the token changes";
        var reference = await ReferenceAnswers.UninterruptedAsync(Env, prompt);
        var (name, password) = Env.Users.Next();
        var tokens = new UserTokens(Env.Tokens, name, password);
        var holdReconnect = 0;
        Task runEnded = Task.CompletedTask;
        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = Env.BackendWebSocket,
            AccessTokenProvider = async (forceRefresh, cancellationToken) =>
            {
                // The reconnect waits until the run has ended: everything after the cut comes back as replay.
                if (Interlocked.Exchange(ref holdReconnect, 0) == 1) await runEnded.WaitAsync(cancellationToken);
                return await tokens.GetAsync(forceRefresh, cancellationToken);
            },
        }, Timeouts.Token());
        var sessionId = session.SessionId;

        await session.SendPromptAsync("replayed", prompt, Timeouts.Token());
        long cutAfter = 0;
        Task? refresh = null;
        var answer = await session.ReadAnswerAsync("replayed", expectedFirstSeq: 1, onEvent: e =>
        {
            if (cutAfter == 0 && e.Index == 3)
            {
                cutAfter = e.Seq;
                runEnded = Env.Telemetry.WaitForRunEndAsync(sessionId, "replayed");
                Volatile.Write(ref holdReconnect, 1);
                session.AbortConnection();
            }
            else if (refresh is null && cutAfter > 0 && e.Seq == cutAfter + 1)
            {
                // The first replayed event is here, the rest of the replay is on its way.
                refresh = session.RefreshTokenAsync(Timeouts.Token());
            }
        });

        Assert.IsNotNull(refresh, "the replay never started");
        await refresh;
        Assert.AreEqual(reference.Text, answer.Text, "the replayed answer is byte-identical to an uninterrupted one");
        Assert.HasCount(reference.Events.Count, answer.Events);
        Assert.AreEqual(0, session.GapsDetected);
        Assert.AreEqual(0, session.DuplicatesDropped);
        var welcome = await session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed);
        Assert.IsGreaterThan(1L, welcome.ReplayCount, "the refresh went out while a replay of several events was delivered");
        Assert.AreEqual(1L, session.TokenRefreshes);
        Assert.IsFalse(session.ConnectionEvents.TryRead(out var more), $"one reconnect only (the cut), then nothing: {more}");
        await AssertRefreshLatencyAsync(sessionId, "during replay");
    }

    [TestMethod]
    public async Task RefreshWithAnotherUsersTokenIsClosed4003AndTheSessionResumes()
    {
        var owner = Env.Users.Next();
        var ownerTokens = new UserTokens(Env.Tokens, owner.Name, owner.Password);
        var foreign = await RawClient.TokenAsync(Env);
        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = Env.BackendWebSocket,
            AccessTokenProvider = (forceRefresh, cancellationToken) =>
                forceRefresh ? ValueTask.FromResult(foreign) : ownerTokens.GetAsync(false, cancellationToken),
        }, Timeouts.Token());
        await session.SendPromptAsync("first", "remember me", Timeouts.Token());
        var first = await session.ReadAnswerAsync("first", expectedFirstSeq: 1);
        var (sessionId, epoch) = (session.SessionId, session.Epoch);

        var refresh = session.RefreshTokenAsync(Timeouts.Token());
        var dropped = await session.WaitForDisconnectAsync();

        Assert.AreEqual(CloseCodes.Forbidden, dropped.CloseCode);
        await Assert.ThrowsAsync<IOException>(() => refresh);
        // The session is the owner's still: resumed with the owner's token, context intact.
        await using var resumed = await SessionFactory.ResumeAsync(Env, owner, sessionId, first.Events[^1].Seq, epoch);
        Assert.AreEqual(sessionId, resumed.Session.SessionId);
        await resumed.Session.SendPromptAsync("second", "still mine?", Timeouts.Token());
        var second = await resumed.Session.ReadAnswerAsync("second", expectedFirstSeq: first.Events[^1].Seq + 1);
        Assert.StartsWith("[context: 2 earlier messages]", second.Text);
    }

    [TestMethod]
    public async Task RefreshWithAnInvalidOrExpiredTokenIsAnErrorAndTheConnectionGoesOn()
    {
        var user = Env.Users.Next();
        var tokens = new UserTokens(Env.Tokens, user.Name, user.Password);
        using var rogue = System.Security.Cryptography.RSA.Create(2048);
        var rejected = new Queue<string>([
            _forge.Create(user.Name, expires: DateTimeOffset.UtcNow.AddSeconds(-30)),
            "not.a.token",
            _forge.Create(user.Name, key: rogue),
        ]);
        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = Env.BackendWebSocket,
            AccessTokenProvider = (forceRefresh, cancellationToken) =>
                forceRefresh ? ValueTask.FromResult(rejected.Dequeue()) : tokens.GetAsync(false, cancellationToken),
        }, Timeouts.Token());
        var expiresAt = session.TokenExpiresAt;

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => session.RefreshTokenAsync(Timeouts.Token()));
            Assert.Contains("rejected", error.Message);
        }

        // Still the same connection, still on the old token, still serving.
        Assert.AreEqual(expiresAt, session.TokenExpiresAt);
        await session.SendPromptAsync("after", "still there?", Timeouts.Token());
        await session.ReadAnswerAsync("after", expectedFirstSeq: 1);
        ConnectionAssert.StillOnTheFirstConnection(session);
    }

    [TestMethod]
    public async Task ConcurrentRefreshesOnTwoSessionsOfOneUserAllSucceed()
    {
        var user = Env.Users.Next();
        // Two devices of one user: two logins, two refresh-token families.
        await using var phone = await SessionFactory.ConnectAsync(Env, user);
        await using var laptop = await SessionFactory.ConnectAsync(Env, user);

        for (var round = 1; round <= 5; round++)
        {
            await Task.WhenAll(phone.Session.RefreshTokenAsync(Timeouts.Token()), laptop.Session.RefreshTokenAsync(Timeouts.Token()));
        }

        foreach (var device in new[] { phone, laptop })
        {
            Assert.AreEqual(5L, device.Session.TokenRefreshes);
            ConnectionAssert.StillOnTheFirstConnection(device.Session);
            await device.Session.SendPromptAsync("after", "both fine?", Timeouts.Token());
            await device.Session.ReadAnswerAsync("after", expectedFirstSeq: 1);
        }
        Assert.AreNotEqual(phone.Session.SessionId, laptop.Session.SessionId);
    }

    [TestMethod]
    public async Task ReusingARotatedRefreshTokenClosesEverySocketOfTheFamily4003()
    {
        var (name, password) = Env.Users.Next();
        var login = await Env.Tokens.PasswordAsync(name, password, Timeouts.Token());
        var rotated = await Env.Tokens.RefreshAsync(login.RefreshToken, Timeouts.Token());
        // The owner has used its successor too, so a second use of the first token cannot be its own
        // retry of a lost answer (which Auth:RefreshReuseGrace would rotate again).
        rotated = await Env.Tokens.RefreshAsync(rotated.RefreshToken, Timeouts.Token());
        await using var older = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await using var newer = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var olderSession = (await older.HelloAsync(login.AccessToken)).SessionId;
        await newer.HelloAsync(rotated.AccessToken);

        // Replaying the already-rotated token: a stolen copy, as far as the AuthService can tell.
        var reuse = await Assert.ThrowsAsync<HttpRequestException>(() => Env.Tokens.RefreshAsync(login.RefreshToken, Timeouts.Token()));
        Assert.Contains("invalid_grant", reuse.Message);

        foreach (var socket in new[] { older, newer })
        {
            var (close, _) = await socket.ReceiveCloseAsync(TimeSpan.FromSeconds(5));
            Assert.AreEqual(CloseCodes.Forbidden, (int?)close.CloseStatus);
        }
        // The user's three refresh grants: two rotations, then the reuse that revoked the family.
        var grants = await Env.Telemetry.WaitForSpansAsync(ResourceNames.Auth, null, "token.issue", 3, Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("user.id") == name && s.Attributes.GetValueOrDefault("grant_type") == "refresh_token");
        var issue = grants[^1];
        var closed = await RevokedSpanAsync(olderSession);
        Budget.AssertWithin("revocation → socket closed 4003 (refresh-token reuse)", closed.End - issue.Start, RevocationBudget,
            "authservice token.issue start → backend session.revoked end");
    }

    [TestMethod]
    public async Task RevokedAccessTokenClosesItsSocket4003WithinASecondAndSparesTheRest()
    {
        var (name, password) = Env.Users.Next();
        var login = await Env.Tokens.PasswordAsync(name, password, Timeouts.Token());
        var sibling = await Env.Tokens.RefreshAsync(login.RefreshToken, Timeouts.Token());
        await using var revoked = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await using var spared = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var sessionId = (await revoked.HelloAsync(login.AccessToken)).SessionId;
        await spared.HelloAsync(sibling.AccessToken);

        await Env.Tokens.RevokeAsync(login.AccessToken, "access_token", Timeouts.Token());

        var (close, _) = await revoked.ReceiveCloseAsync(TimeSpan.FromSeconds(5));
        Assert.AreEqual(CloseCodes.Forbidden, (int?)close.CloseStatus);
        // The revocation named one jti: the same family's other token is untouched.
        await spared.SendTextAsync("""{"type":"ping","t":1}""");
        Assert.IsInstanceOfType<PongMessage>((await spared.ReceiveAsync()).Message);
        var revoke = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Auth, null, "token.revoke", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("user.id") == name);
        var closed = await RevokedSpanAsync(sessionId);
        Assert.AreEqual("pubsub", closed.Attributes.GetValueOrDefault("revocation.source"));
        Budget.AssertWithin("revocation → socket closed 4003 (access token)", closed.End - revoke.Start, RevocationBudget,
            "authservice token.revoke start → backend session.revoked end");
    }

    /// <summary>The Backend's <c>session.revoked</c> span of <paramref name="sessionId"/>: from noticing the revocation to the close frame sent.</summary>
    internal static Task<TestSupport.Telemetry.TelemetrySpan> RevokedSpanAsync(string sessionId) =>
        Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "session.revoked", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId);

    /// <summary>The in-band refresh of <paramref name="sessionId"/>, timed by both ends' spans, against the budget.</summary>
    private static async Task AssertRefreshLatencyAsync(string sessionId, string when)
    {
        var client = await Env.ClientSpans.WaitForAsync(a => a.OperationName == ClientTelemetry.TokenRefreshSpan
            && (string?)a.GetTagItem(ClientTelemetry.SessionId) == sessionId, Timeouts.Default);
        Assert.AreEqual(ActivityStatusCode.Unset, client.Status, client.StatusDescription);
        var backend = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "token.refresh", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId);
        Assert.IsFalse(backend.Attributes.ContainsKey("error.type"), "the Backend accepted the refresh");
        Budget.AssertWithin($"in-band token refresh {when}, client (refresh → refreshed)", client.Duration, RefreshBudget, "client.token.refresh span");
        Budget.AssertWithin($"in-band token refresh {when}, backend", backend.Duration, BackendRefreshBudget, "backend token.refresh span");
    }
}
