using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite04_ExpiredToken;

/// <summary>
/// Suite04: what the Backend does with the token in <c>hello</c> (docs/protocol.md §Tokens):
/// expired → 4001 with the session untouched, every other bad token → 4003, the clock skew is
/// seconds, and a socket without a hello is closed 4008. Bad tokens are forged from the
/// AuthService's real signing key (<see cref="TokenForge"/>) and presented as a client would.
/// </summary>
[TestClass]
[TestCategory("Suite04")]
public sealed class TokenValidationTests : E2ETest<SharedEnvironment>
{
    private static TokenForge _forge = null!;

    [ClassInitialize]
    public static async Task LoadSigningKeyAsync(TestContext _) => _forge = await TokenForge.LoadAsync(Env); // the base class has started Env

    private static DateTimeOffset Now => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    [TestMethod]
    public async Task ResumeWithAnExpiredTokenIsClosed4001AndLeavesTheSessionIntact()
    {
        var owner = Env.Users.Next();
        await using var client = await SessionFactory.ConnectAsync(Env, owner);
        var session = client.Session;
        await session.SendPromptAsync("first", "remember this", Timeouts.Token());
        var first = await session.ReadAnswerAsync("first", expectedFirstSeq: 1);
        var (sessionId, epoch, top) = (session.SessionId, session.Epoch, first.Events[^1].Seq);

        // Our own root span, so the rejected hello can be found in the Backend's traces.
        using var attempt = new Activity("suite04.expired-resume").Start();
        var code = await HelloCloseCodeAsync(_forge.Create(owner.Name, expires: Now.AddSeconds(-30)), (sessionId, top, epoch));
        attempt.Stop();

        Assert.AreEqual(CloseCodes.TokenExpired, code);
        // Nothing was attached: the Backend's hello stopped at the token, no session.resume under it…
        var traceId = attempt.TraceId.ToHexString();
        var hello = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, traceId, "session.hello", Timeouts.Telemetry);
        Assert.AreEqual("Expired", hello.Attributes.GetValueOrDefault("error.type"));
        var trace = await Env.Telemetry.GetSpansAsync(ResourceNames.Backend, traceId, Timeouts.Token());
        Assert.IsFalse(trace.Any(s => s.Name == "session.resume"), "an expired hello must not reach the session store");
        // …and the owner's live connection was not superseded.
        ConnectionAssert.StillOnTheFirstConnection(session);

        // The session is intact: the owner resumes it with a valid token and its context is there.
        session.AbortConnection();
        var welcome = await session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed, $"resume failed: {welcome.Reason}");
        Assert.AreEqual(sessionId, welcome.SessionId);
        Assert.AreEqual(0, welcome.ReplayCount);
        await session.SendPromptAsync("second", "what did I say?", Timeouts.Token());
        var second = await session.ReadAnswerAsync("second", expectedFirstSeq: top + 1);
        Assert.StartsWith("[context: 2 earlier messages]", second.Text, "the follow-up sees the first prompt and its answer");
    }

    [TestMethod]
    public async Task ClientRefreshesAfter4001AndReceivesEventsProducedMeanwhileExactlyOnce()
    {
        const string prompt = "an answer produced while the client is away";
        var reference = (await ReferenceAnswers.UninterruptedAsync(Env, prompt)).Text;

        var (name, password) = Env.Users.Next();
        var tokens = new UserTokens(Env.Tokens, name, password);
        string? presentNext = null;
        Task runEnded = Task.CompletedTask;
        var forcedRefreshes = 0;
        await using var session = await ResilientSession.ConnectAsync(OptionsWith(async (forceRefresh, cancellationToken) =>
        {
            if (forceRefresh)
            {
                Interlocked.Increment(ref forcedRefreshes);
            }
            else if (Interlocked.Exchange(ref presentNext, null) is { } expired)
            {
                // Hold the reconnect until the run has finished: every remaining event is then
                // produced while the client is away and must come back in the replay.
                await runEnded.WaitAsync(cancellationToken);
                return expired;
            }
            // The real grants: a password login first, and on forceRefresh the refresh-token grant.
            return await tokens.GetAsync(forceRefresh, cancellationToken);
        }), Timeouts.Token());
        var sessionId = session.SessionId;

        await session.SendPromptAsync("away", prompt, Timeouts.Token());
        var cut = false;
        var answer = await session.ReadAnswerAsync("away", expectedFirstSeq: 1, onEvent: e =>
        {
            if (cut || e.Index != 3) return;
            cut = true;
            runEnded = Env.Telemetry.WaitForRunEndAsync(sessionId, "away");
            presentNext = _forge.Create(name, expires: Now.AddSeconds(-30));
            session.AbortConnection();
        });

        Assert.IsTrue(cut);
        Assert.AreEqual(reference, answer.Text, "the recovered answer is byte-identical to an uninterrupted one");
        Assert.AreEqual(0, session.GapsDetected);
        Assert.AreEqual(1, forcedRefreshes, "exactly one refresh-token grant, caused by the 4001");
        var welcome = await session.WaitForWelcomeAsync(generation: 2);
        Assert.IsTrue(welcome.Resumed, $"resume failed: {welcome.Reason}");
        Assert.AreEqual(sessionId, welcome.SessionId);
        Assert.IsGreaterThan(0L, welcome.ReplayCount, "the rest of the answer was queued while the client was away");
        Assert.AreEqual(answer.Events[^1].Seq, session.LastSeq);

        // One reconnect: its first hello was refused as expired, its second resumed the session.
        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        Assert.AreEqual(2, reconnect.GetTagItem(ClientTelemetry.ReconnectAttempts));
        var traceId = reconnect.TraceId.ToHexString();
        await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, traceId, "session.hello", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("error.type") == "Expired");
        await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, traceId, "session.resume", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.resumed") == "true");
    }

    [TestMethod]
    public async Task TokenSignedByAnotherKeyUnderTheCurrentKidIsForbidden()
    {
        using var rogue = RSA.Create(2048);
        var token = _forge.Create(Env.Users.Next().Name, key: rogue);

        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task ExpiredTokenWithAForgedSignatureIsForbiddenNotExpired()
    {
        // "Expired" (and with it the client's refresh) is only said of a genuine token.
        using var rogue = RSA.Create(2048);
        var token = _forge.Create(Env.Users.Next().Name, expires: Now.AddSeconds(-30), key: rogue);

        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task UnsignedTokenWithAlgNoneIsForbidden()
    {
        var token = _forge.Unsigned(Env.Users.Next().Name);

        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task Hs256SignedWithTheRsaPublicKeyIsForbidden()
    {
        var user = Env.Users.Next().Name;
        foreach (var (encoding, secret) in _forge.PublicKeyEncodings())
        {
            Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(_forge.HmacWithPublicKey(user, secret)),
                $"HS256 keyed with the public key as {encoding}");
        }
    }

    [TestMethod]
    public async Task GenuinelySignedTokenWithoutTheAccessTokenTypeIsForbidden()
    {
        // RFC 9068 / RFC 8725 §3.11: a JWT of another kind (an ID token, a plain "JWT") signed with
        // the same key is not an access token.
        var user = Env.Users.Next().Name;
        foreach (var type in new[] { "JWT", "id_token+jwt" })
        {
            Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(_forge.Create(user, type: type)), $"typ {type}");
        }
    }

    [TestMethod]
    public async Task TokenForAnotherAudienceIsForbidden()
    {
        var token = _forge.Create(Env.Users.Next().Name, audience: "some-other-api");

        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task TokenFromAnotherIssuerIsForbidden()
    {
        var token = _forge.Create(Env.Users.Next().Name, issuer: "https://evil.example");

        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task TokenWithoutExpiryIsForbidden()
    {
        // exp is required (docs/auth.md); a token without it is invalid, not "expired".
        var token = _forge.Create(Env.Users.Next().Name, omitExpiry: true);

        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task NotBeforeBeyondTheClockSkewIsForbidden()
    {
        var token = _forge.Create(Env.Users.Next().Name, notBefore: Now.AddSeconds(60));

        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task NotBeforeWithinTheClockSkewIsAccepted()
    {
        var user = Env.Users.Next();
        var token = _forge.Create(user.Name, notBefore: Now.AddSeconds(2));

        await using var session = await ConnectPresentingFirstAsync(user, token);

        var welcome = await session.WaitForWelcomeAsync(generation: 1);
        Assert.IsFalse(welcome.Resumed);
    }

    [TestMethod]
    public async Task TokenExpiredWithinTheClockSkewIsAccepted()
    {
        var user = Env.Users.Next();
        var expires = Now.AddSeconds(-2);

        await using var session = await ConnectPresentingFirstAsync(user, _forge.Create(user.Name, expires: expires));

        var welcome = await session.WaitForWelcomeAsync(generation: 1);
        Assert.AreEqual(expires.ToUnixTimeMilliseconds(), welcome.TokenExpiresAt, "the welcome runs on the presented token");
    }

    [TestMethod]
    public async Task TokenExpiredBeyondTheClockSkewIsClosed4001()
    {
        // 30 s: beyond the 5 s skew, well inside the library's 5 min default.
        var token = _forge.Create(Env.Users.Next().Name, expires: Now.AddSeconds(-30));

        Assert.AreEqual(CloseCodes.TokenExpired, await HelloCloseCodeAsync(token));
    }

    [TestMethod]
    public async Task UnknownKidIsForbiddenAndTheBackendStaysHealthy()
    {
        var user = Env.Users.Next();
        // Several in a row: each unknown kid may trigger a JWKS re-fetch, at most one per interval.
        for (var i = 0; i < 5; i++)
        {
            using var stranger = RSA.Create(2048);
            var token = _forge.Create(user.Name, key: stranger, kid: TokenForge.RandomKid());
            Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(token), $"unknown kid #{i + 1}");
        }

        using var http = Env.App.CreateHttpClient(ResourceNames.Backend, "http");
        using var health = await http.GetAsync("/health", Timeouts.Token());
        Assert.AreEqual(HttpStatusCode.OK, health.StatusCode);
        await using var client = await SessionFactory.ConnectAsync(Env, user);
        await client.Session.SendPromptAsync("after", "still serving?", Timeouts.Token());
        var answer = await client.Session.ReadAnswerAsync("after", expectedFirstSeq: 1);
        Assert.StartsWith("[context: 0 earlier messages]", answer.Text);
    }

    [TestMethod]
    public async Task AnotherUsersValidTokenCannotResumeTheSession()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var (sessionId, epoch) = (client.Session.SessionId, client.Session.Epoch);

        var thief = await Assert.ThrowsAsync<SessionClosedException>(
            () => SessionFactory.ResumeAsync(Env, Env.Users.Next(), sessionId, 0, epoch));

        Assert.AreEqual(CloseCodes.Forbidden, thief.CloseCode);
        ConnectionAssert.StillOnTheFirstConnection(client.Session);
    }

    [TestMethod]
    public async Task SocketWithoutHelloIsClosed4008AfterTheHelloTimeout()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(Env.BackendWebSocket, Timeouts.Token());
        var silent = Stopwatch.StartNew();

        var result = await socket.ReceiveAsync(new byte[1024], Timeouts.Token(TimeSpan.FromSeconds(10)));

        Assert.AreEqual(WebSocketMessageType.Close, result.MessageType);
        Assert.AreEqual(CloseCodes.HelloTimeout, (int?)socket.CloseStatus);
        // The default hello timeout is 5 s: the close is the timeout, not an instant rejection.
        Assert.IsGreaterThan(TimeSpan.FromSeconds(4), silent.Elapsed);
    }

    private static ResilientSessionOptions OptionsWith(Func<bool, CancellationToken, ValueTask<string>> tokenProvider) => new()
    {
        Endpoint = Env.BackendWebSocket,
        AccessTokenProvider = tokenProvider,
        HandshakeTimeout = Timeouts.Default,
    };

    /// <summary>Presents <paramref name="token"/> in a hello (a resume when given) and returns the close code; null if it was welcomed.</summary>
    private static async Task<int?> HelloCloseCodeAsync(string token, (string Id, long LastSeq, string Epoch)? resume = null)
    {
        var options = OptionsWith((_, _) => ValueTask.FromResult(token));
        ResilientSession welcomed;
        try
        {
            welcomed = resume is { } r
                ? await ResilientSession.ResumeAsync(options, r.Id, r.LastSeq, r.Epoch, Timeouts.Token())
                : await ResilientSession.ConnectAsync(options, Timeouts.Token());
        }
        catch (SessionClosedException closed)
        {
            return closed.CloseCode;
        }
        await welcomed.DisposeAsync();
        return null;
    }

    /// <summary>A session whose first hello presents <paramref name="token"/>; later tokens (in-band refresh) are the user's real ones.</summary>
    private static async Task<ResilientSession> ConnectPresentingFirstAsync((string Name, string Password) user, string token)
    {
        var tokens = new UserTokens(Env.Tokens, user.Name, user.Password);
        string? first = token;
        return await ResilientSession.ConnectAsync(OptionsWith(async (forceRefresh, cancellationToken) =>
            Interlocked.Exchange(ref first, null) ?? await tokens.GetAsync(forceRefresh, cancellationToken)), Timeouts.Token());
    }
}
