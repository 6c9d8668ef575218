using System.Diagnostics.Metrics;
using AspireResilience.AuthService;
using AspireResilience.AuthService.RefreshTokens;
using AspireResilience.AuthService.Requests;
using AspireResilience.AuthService.Revocations;
using AspireResilience.AuthService.Signing;
using AspireResilience.AuthService.Telemetry;
using AspireResilience.AuthService.Tokens;
using AspireResilience.AuthService.Users;
using AspireResilience.Contracts;
using AspireResilience.UnitTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.AuthService;

/// <summary>
/// Refresh rotation and revocation against a real redis-server (the Lua scripts are the point).
/// Every test logs in its own user, so tests share the server but never each other's data.
/// </summary>
[TestClass]
public sealed class RefreshTokenRedisIntegrationTests
{
    private static readonly TimeSpan MessageTimeout = TimeSpan.FromSeconds(5);
    private static RedisServerProcess s_redis = null!;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly AuthOptions _options = new();
    private readonly TestKeyDirectory _keyDirectory = new();
    private ServiceProvider _metrics = null!;
    private SigningKeyStore _keys = null!;
    private RefreshTokenStore _store = null!;
    private RevocationService _revocations = null!;
    private TokenService _tokens = null!;
    private string _user = null!;

    public TestContext TestContext { get; set; } = null!;

    private IDatabase Db => s_redis.Connection.GetDatabase();

    [ClassInitialize]
    public static async Task StartRedisAsync(TestContext context) => s_redis = await RedisServerProcess.StartAsync();

    [ClassCleanup]
    public static async Task StopRedisAsync() => await s_redis.DisposeAsync();

    [TestInitialize]
    public void CreateServices()
    {
        _user = "user-" + Guid.NewGuid().ToString("N")[..8];
        _options.Users[_user] = "pw";
        var options = new TestOptionsMonitor<AuthOptions>(_options);
        _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new AuthTelemetry(_metrics.GetRequiredService<IMeterFactory>());
        _keys = new SigningKeyStore(_keyDirectory.Path, _time, NullLogger.Instance);
        var accessTokens = new AccessTokenIssuer(_keys, options, _time);
        _store = new RefreshTokenStore(s_redis.Connection, options, _time);
        _revocations = new RevocationService(s_redis.Connection, _store, accessTokens, telemetry, _time, NullLogger<RevocationService>.Instance);
        _tokens = new TokenService(new UserDirectory(options), _store, accessTokens, _revocations, telemetry, NullLogger<TokenService>.Instance);
    }

    [TestCleanup]
    public void Cleanup()
    {
        _keys.Dispose();
        _keyDirectory.Dispose();
        _metrics.Dispose();
    }

    [TestMethod]
    public async Task PasswordLoginStoresOnlyTheTokenHashAndEverythingExpires()
    {
        var login = await LoginAsync();
        var fid = FamilyOf(login);

        var tokenKey = AuthRedisKeys.RefreshToken(RefreshTokenCodec.FamilyIdOf(login.RefreshToken)!, RefreshTokenCodec.Hash(login.RefreshToken));
        var fields = (await Db.HashGetAllAsync(tokenKey)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.AreEqual(_user, fields["sub"]);
        Assert.AreEqual(fid, fields["familyId"]);
        Assert.AreEqual("0", fields["used"]);
        Assert.AreEqual((_time.GetUtcNow() + _options.RefreshTokenLifetime).ToUnixTimeMilliseconds(), long.Parse(fields["expiresAt"]));
        Assert.IsFalse(await Db.KeyExistsAsync(AuthRedisKeys.RefreshToken(RefreshTokenCodec.FamilyIdOf(login.RefreshToken)!, login.RefreshToken)), "the raw token is never a key");
        await AssertExpiresWithinRefreshLifetimeAsync(tokenKey);
        var familyTtl = await Db.KeyTimeToLiveAsync(AuthRedisKeys.RefreshFamily(fid));
        Assert.IsTrue(familyTtl > TimeSpan.Zero && familyTtl <= _options.RefreshFamilyLifetime, $"family TTL {familyTtl}");
    }

    [TestMethod]
    public async Task RotationSlidesTokensButNeverPastTheFamilysAbsoluteLifetime()
    {
        var login = await LoginAsync();
        var familyEnd = _time.GetUtcNow() + _options.RefreshFamilyLifetime;
        var token = login.RefreshToken;

        // Used well within each token's lifetime, the family still ends at its absolute end.
        while (_time.GetUtcNow() + _options.RefreshTokenLifetime < familyEnd)
        {
            _time.Advance(_options.RefreshTokenLifetime * 0.9);
            var rotated = await GrantAsync(new RefreshTokenGrantRequest(token));
            Assert.IsTrue(rotated.Succeeded, rotated.Error?.Description);
            token = rotated.Response.RefreshToken;
        }
        var last = await Db.HashGetAsync(AuthRedisKeys.RefreshToken(RefreshTokenCodec.FamilyIdOf(token)!, RefreshTokenCodec.Hash(token)), "expiresAt");
        Assert.AreEqual(familyEnd.ToUnixTimeMilliseconds(), (long)last, "the last successor is cut to the family's end");

        _time.Advance(familyEnd - _time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var rotation = await _store.RotateAsync(token, TestContext.CancellationToken);

        Assert.AreEqual(RotationOutcome.Expired, rotation.Outcome);
    }

    [TestMethod]
    public async Task RefreshRotatesBothTokensAndKeepsTheFamily()
    {
        var login = await LoginAsync();

        var refreshed = await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken));

        Assert.IsTrue(refreshed.Succeeded, refreshed.Error?.Description);
        Assert.AreNotEqual(login.RefreshToken, refreshed.Response.RefreshToken);
        Assert.AreNotEqual(login.AccessToken, refreshed.Response.AccessToken);
        Assert.AreEqual(FamilyOf(login), FamilyOf(refreshed.Response));
        Assert.AreEqual("1", (string?)await Db.HashGetAsync(AuthRedisKeys.RefreshToken(RefreshTokenCodec.FamilyIdOf(login.RefreshToken)!, RefreshTokenCodec.Hash(login.RefreshToken)), "used"));
    }

    [TestMethod]
    public async Task ReusingARotatedTokenRevokesTheFamilyAndPublishesIt()
    {
        var login = await LoginAsync();
        var fid = FamilyOf(login);
        var latest = (await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken))).Response!;
        var messages = await s_redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RevocationContract.Channel));
        // Past the grace in which a retry of a lost answer is rotated again.
        _time.Advance(_options.RefreshReuseGrace + TimeSpan.FromMilliseconds(1));

        var reuse = await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken));

        Assert.AreEqual(OAuthError.InvalidGrant, reuse.Error?.Error);
        var message = await ReadMessageAsync(messages, m => m.FamilyId == fid);
        Assert.AreEqual(new RevocationMessage(fid, null, _user), message);
        Assert.AreEqual(_user, (string?)await Db.StringGetAsync(RevocationContract.RevokedFamily(fid)));
        await AssertExpiresWithinRefreshLifetimeAsync(RevocationContract.RevokedFamily(fid));
        var afterRevocation = await GrantAsync(new RefreshTokenGrantRequest(latest.RefreshToken));
        Assert.AreEqual(OAuthError.InvalidGrant, afterRevocation.Error?.Error, "the newest token of the family dies too");
        await messages.UnsubscribeAsync();
    }

    [TestMethod]
    public async Task RevokeAllRevokesAndAnnouncesEveryLiveFamilyOnceAndSkipsRevokedOnes()
    {
        var first = await LoginAsync();
        var second = await LoginAsync();
        var alreadyRevoked = await LoginAsync();
        await _revocations.RevokeAsync(new RevocationRequest(alreadyRevoked.RefreshToken, RevocationRequest.RefreshTokenHint), TestContext.CancellationToken);
        var messages = await s_redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RevocationContract.Channel));

        var revoked = await _revocations.RevokeAllAsync(TestContext.CancellationToken);

        // Other tests' families share the server: at least ours, and never the one revoked before.
        Assert.IsGreaterThanOrEqualTo(2, revoked);
        var ours = new[] { FamilyOf(first), FamilyOf(second) };
        var announced = new List<RevocationMessage>();
        while (announced.Count < ours.Length)
        {
            announced.Add(await ReadMessageAsync(messages, m => ours.Contains(m.FamilyId)));
        }
        CollectionAssert.AreEquivalent(ours.Select(fid => new RevocationMessage(fid, null, _user)).ToArray(), announced, "each family announced once");
        foreach (var login in new[] { first, second })
        {
            Assert.IsTrue(await Db.KeyExistsAsync(RevocationContract.RevokedFamily(FamilyOf(login))));
            Assert.AreEqual(OAuthError.InvalidGrant, (await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken))).Error?.Error);
        }
        Assert.AreEqual(0, await _store.LiveFamiliesAsync(TestContext.CancellationToken).CountAsync(TestContext.CancellationToken), "no family is left live");
        await messages.UnsubscribeAsync();
    }

    [TestMethod]
    public async Task ARetryWithinTheGraceOfAnAnswerThatWasLostRotatesAgainAndTheLostTokenIsDead()
    {
        var login = await LoginAsync();
        var lost = await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken)); // its answer never reached the client
        _time.Advance(_options.RefreshReuseGrace - TimeSpan.FromSeconds(1));

        var retry = await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken));

        Assert.IsTrue(retry.Succeeded, retry.Error?.Description);
        Assert.AreNotEqual(lost.Response!.RefreshToken, retry.Response.RefreshToken);
        Assert.AreEqual(FamilyOf(login), FamilyOf(retry.Response), "the same family goes on");
        var next = await GrantAsync(new RefreshTokenGrantRequest(retry.Response.RefreshToken));
        Assert.IsTrue(next.Succeeded, "the retry's token is the live one");
        var late = await GrantAsync(new RefreshTokenGrantRequest(lost.Response.RefreshToken));
        Assert.AreEqual(OAuthError.InvalidGrant, late.Error?.Error, "the lost token turning up later is reuse");
        Assert.IsTrue(await Db.KeyExistsAsync(RevocationContract.RevokedFamily(FamilyOf(login))), "and reuse ends the family");
    }

    [TestMethod]
    public async Task ASecondUseAfterTheSuccessorWasUsedIsReuseEvenWithinTheGrace()
    {
        var login = await LoginAsync();
        var rotated = (await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken))).Response!;
        Assert.IsTrue((await GrantAsync(new RefreshTokenGrantRequest(rotated.RefreshToken))).Succeeded);

        // The client had the successor (it used it): the old token now comes from someone else.
        var reuse = await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken));

        Assert.AreEqual(OAuthError.InvalidGrant, reuse.Error?.Error);
        Assert.IsTrue(await Db.KeyExistsAsync(RevocationContract.RevokedFamily(FamilyOf(login))));
    }

    [TestMethod]
    public async Task TheGraceRunsFromTheFirstUseSoRetriesCannotStretchIt()
    {
        var login = await LoginAsync();
        Assert.IsTrue((await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken))).Succeeded);
        _time.Advance(_options.RefreshReuseGrace / 2);
        Assert.IsTrue((await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken))).Succeeded, "a retry within the grace");
        _time.Advance(_options.RefreshReuseGrace / 2 + TimeSpan.FromMilliseconds(1));

        var late = await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken));

        Assert.AreEqual(OAuthError.InvalidGrant, late.Error?.Error);
        Assert.IsTrue(await Db.KeyExistsAsync(RevocationContract.RevokedFamily(FamilyOf(login))));
    }

    [TestMethod]
    public async Task ConcurrentUsesWithinTheGraceLeaveExactlyOneLiveSuccessor()
    {
        var login = await LoginAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => _store.RotateAsync(login.RefreshToken, TestContext.CancellationToken))));

        // Each use after the first is taken for a retry and supersedes the successor before it.
        Assert.IsTrue(outcomes.All(o => o.Outcome == RotationOutcome.Rotated));
        Assert.AreEqual(7, outcomes.Count(o => o.Again));
        var live = 0;
        foreach (var successor in outcomes.Select(o => o.NewToken!))
        {
            if (await Db.HashGetAsync(AuthRedisKeys.RefreshToken(FamilyOf(login), RefreshTokenCodec.Hash(successor)), "used") == "0") live++;
        }
        Assert.AreEqual(1, live);
    }

    [TestMethod]
    public async Task WithoutAGraceConcurrentUsesOfOneTokenGiveExactlyOneRotation()
    {
        _options.RefreshReuseGrace = TimeSpan.Zero;
        var login = await LoginAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => _store.RotateAsync(login.RefreshToken, TestContext.CancellationToken))));

        Assert.AreEqual(1, outcomes.Count(o => o.Outcome == RotationOutcome.Rotated));
        Assert.AreEqual(1, outcomes.Count(o => o.Outcome == RotationOutcome.Reused), "the first loser revokes the family");
        Assert.IsTrue(outcomes.All(o => o.Outcome is RotationOutcome.Rotated or RotationOutcome.Reused or RotationOutcome.FamilyRevoked));
        Assert.IsTrue(await Db.KeyExistsAsync(RevocationContract.RevokedFamily(FamilyOf(login))));
    }

    [TestMethod]
    public async Task ExpiredRefreshTokenIsRejectedWithoutRevokingTheFamily()
    {
        var login = await LoginAsync();

        _time.Advance(_options.RefreshTokenLifetime + TimeSpan.FromSeconds(1));
        var rotation = await _store.RotateAsync(login.RefreshToken, TestContext.CancellationToken);

        Assert.AreEqual(RotationOutcome.Expired, rotation.Outcome);
        Assert.IsFalse(await Db.KeyExistsAsync(RevocationContract.RevokedFamily(FamilyOf(login))));
    }

    [TestMethod]
    public async Task UnknownRefreshTokenIsInvalidGrant()
    {
        var result = await GrantAsync(new RefreshTokenGrantRequest(RefreshTokenCodec.NewToken(RefreshTokenCodec.NewFamilyId())));

        Assert.AreEqual(OAuthError.InvalidGrant, result.Error?.Error);
    }

    [TestMethod]
    public async Task RevokingAnAccessTokenStoresItsJtiUntilExpiryAndPublishesIt()
    {
        var login = await LoginAsync();
        var jti = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(login.AccessToken).Id;
        var messages = await s_redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RevocationContract.Channel));

        await _revocations.RevokeAsync(new RevocationRequest(login.AccessToken, RevocationRequest.AccessTokenHint), TestContext.CancellationToken);

        Assert.AreEqual(new RevocationMessage(null, jti, _user), await ReadMessageAsync(messages, m => m.Jti == jti));
        var ttl = await Db.KeyTimeToLiveAsync(RevocationContract.RevokedJti(jti));
        Assert.IsNotNull(ttl);
        Assert.IsTrue(ttl > TimeSpan.FromMinutes(4) && ttl <= _options.AccessTokenLifetime + AccessTokenIssuer.ClockSkew, ttl.ToString());
        Assert.IsFalse(await Db.KeyExistsAsync(RevocationContract.RevokedFamily(FamilyOf(login))), "revoking one access token leaves the family alone");
        await messages.UnsubscribeAsync();
    }

    [TestMethod]
    public async Task RevokingARefreshTokenWithoutHintRevokesItsFamily()
    {
        var login = await LoginAsync();
        var fid = FamilyOf(login);
        var messages = await s_redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RevocationContract.Channel));

        await _revocations.RevokeAsync(new RevocationRequest(login.RefreshToken, null), TestContext.CancellationToken);

        Assert.AreEqual(new RevocationMessage(fid, null, _user), await ReadMessageAsync(messages, m => m.FamilyId == fid));
        var refresh = await GrantAsync(new RefreshTokenGrantRequest(login.RefreshToken));
        Assert.AreEqual(OAuthError.InvalidGrant, refresh.Error?.Error);
        await messages.UnsubscribeAsync();
    }

    [TestMethod]
    public async Task RevokingAnUnknownTokenWritesNothing()
    {
        var token = RefreshTokenCodec.NewToken(RefreshTokenCodec.NewFamilyId());

        await _revocations.RevokeAsync(new RevocationRequest(token, RevocationRequest.AccessTokenHint), TestContext.CancellationToken);

        Assert.IsFalse(await Db.KeyExistsAsync(AuthRedisKeys.RefreshToken(RefreshTokenCodec.FamilyIdOf(token)!, RefreshTokenCodec.Hash(token))));
    }

    private async Task<TokenResponse> LoginAsync()
    {
        var result = await GrantAsync(new PasswordGrantRequest(_user, "pw"));
        Assert.IsTrue(result.Succeeded, result.Error?.Description);
        return result.Response;
    }

    private Task<TokenGrantResult> GrantAsync(TokenRequest request) => _tokens.GrantAsync(request, TestContext.CancellationToken);

    private static string FamilyOf(TokenResponse response) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(response.AccessToken).GetPayloadValue<string>(AccessTokenIssuer.FamilyIdClaim);

    private async Task AssertExpiresWithinRefreshLifetimeAsync(string key)
    {
        var ttl = await Db.KeyTimeToLiveAsync(key);
        Assert.IsNotNull(ttl, $"{key} has no TTL");
        Assert.IsTrue(ttl > TimeSpan.Zero && ttl <= _options.RefreshTokenLifetime, $"{key}: {ttl}");
    }

    private async Task<RevocationMessage> ReadMessageAsync(ChannelMessageQueue queue, Func<RevocationMessage, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        timeout.CancelAfter(MessageTimeout);
        while (true)
        {
            var message = RevocationContract.Parse((string)(await queue.ReadAsync(timeout.Token)).Message!)!;
            if (match(message))
            {
                return message;
            }
        }
    }
}
