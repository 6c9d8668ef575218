using System.Text.Json;
using AspireResilience.AuthService;
using AspireResilience.AuthService.Signing;
using AspireResilience.AuthService.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class AccessTokenIssuerTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly TestKeyDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly AuthOptions _options = new();
    private SigningKeyStore _keys = null!;
    private AccessTokenIssuer _issuer = null!;

    [TestInitialize]
    public void CreateIssuer()
    {
        _keys = new SigningKeyStore(_directory.Path, _time, NullLogger.Instance);
        _issuer = new AccessTokenIssuer(_keys, new TestOptionsMonitor<AuthOptions>(_options), _time);
    }

    [TestCleanup]
    public void Cleanup()
    {
        _keys.Dispose();
        _directory.Dispose();
    }

    [TestMethod]
    public async Task IssuedTokenValidatesAgainstTheJwksWithAllClaims()
    {
        var issued = _issuer.Create("alice", "family-1");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(issued.Token, ValidationParametersFromJwks());

        Assert.IsTrue(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.AreEqual("RS256", jwt.Alg);
        Assert.AreEqual(_keys.Current.Kid, jwt.Kid);
        Assert.AreEqual("aspire-resilience-auth", jwt.Issuer);
        Assert.AreEqual("aspire-resilience-backend", jwt.Audiences.Single());
        Assert.AreEqual("alice", jwt.Subject);
        Assert.AreEqual("family-1", jwt.GetPayloadValue<string>("fid"));
        Assert.AreEqual(issued.Jti, jwt.Id);
        Assert.AreEqual(Start.ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("iat"));
        Assert.AreEqual(Start.ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("nbf"));
        Assert.AreEqual((Start + TimeSpan.FromMinutes(5)).ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("exp"));
    }

    [TestMethod]
    public void ExpiresInEqualsConfiguredLifetimeEvenWithSubSecondClock()
    {
        _options.AccessTokenLifetime = TimeSpan.FromSeconds(90);
        _time.Advance(TimeSpan.FromMilliseconds(750));

        var issued = _issuer.Create("alice", "family-1");

        Assert.AreEqual(90, issued.ExpiresInSeconds);
        Assert.AreEqual(Start.AddSeconds(90), issued.ExpiresAt);
    }

    [TestMethod]
    public void EveryTokenGetsItsOwnJti()
    {
        var jtis = Enumerable.Range(0, 20).Select(_ => _issuer.Create("alice", "f").Jti).ToHashSet();

        Assert.HasCount(20, jtis);
    }

    [TestMethod]
    public async Task ValidateReturnsTheClaimsOfALiveToken()
    {
        var issued = _issuer.Create("bob", "family-2");

        var claims = await _issuer.ValidateAsync(issued.Token, CancellationToken.None);

        Assert.AreEqual(new AccessTokenClaims("bob", issued.Jti, "family-2", issued.ExpiresAt), claims);
    }

    [TestMethod]
    public async Task ValidateAcceptsWithinClockSkewAndRejectsAfterIt()
    {
        var issued = _issuer.Create("bob", "family-2");

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(4));
        Assert.IsNotNull(await _issuer.ValidateAsync(issued.Token, CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.IsNull(await _issuer.ValidateAsync(issued.Token, CancellationToken.None));
    }

    [TestMethod]
    public async Task TokenSignedBeforeRotationStillValidates()
    {
        var beforeRotation = _issuer.Create("alice", "family-1");
        var oldKid = _keys.Current.Kid;

        _time.Advance(TimeSpan.FromSeconds(1));
        _keys.Rotate();
        var afterRotation = _issuer.Create("alice", "family-1");

        Assert.AreNotEqual(oldKid, new JsonWebToken(afterRotation.Token).Kid);
        Assert.IsNotNull(await _issuer.ValidateAsync(beforeRotation.Token, CancellationToken.None));
        Assert.IsNotNull(await _issuer.ValidateAsync(afterRotation.Token, CancellationToken.None));
    }

    [TestMethod]
    public async Task ValidateRejectsWrongAudienceForeignKeyAndUnsignedTokens()
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = Start.UtcDateTime,
            Expires = Start.AddMinutes(5).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["jti"] = "j1" },
        };
        using var foreignRsa = System.Security.Cryptography.RSA.Create(2048);
        var foreign = handler.CreateToken(CloneWith(descriptor, d => d.SigningCredentials =
            new SigningCredentials(new RsaSecurityKey(foreignRsa) { KeyId = _keys.Current.Kid }, SecurityAlgorithms.RsaSha256)));
        var wrongAudience = handler.CreateToken(CloneWith(descriptor, d =>
        {
            d.Audience = "someone-else";
            d.SigningCredentials = new SigningCredentials(_keys.Current.SecurityKey, SecurityAlgorithms.RsaSha256);
        }));
        var unsigned = handler.CreateToken(descriptor);

        Assert.IsNull(await _issuer.ValidateAsync(foreign, CancellationToken.None));
        Assert.IsNull(await _issuer.ValidateAsync(wrongAudience, CancellationToken.None));
        Assert.IsNull(await _issuer.ValidateAsync(unsigned, CancellationToken.None));
        Assert.IsNull(await _issuer.ValidateAsync("not-a-jwt", CancellationToken.None));
    }

    [TestMethod]
    [DataRow(-5, true)]
    [DataRow(299, true)]
    [DataRow(304, true)]
    [DataRow(305, false)]
    [DataRow(-6, false)]
    public void LifetimeCheckAllowsOnlyTheConfiguredSkew(int secondsFromIssue, bool expected)
    {
        var now = Start.AddSeconds(secondsFromIssue);

        var valid = AccessTokenIssuer.IsWithinLifetime(Start.UtcDateTime, Start.AddMinutes(5).UtcDateTime, now, TimeSpan.FromSeconds(5));

        Assert.AreEqual(expected, valid);
    }

    [TestMethod]
    public void LifetimeCheckRequiresAnExpiry()
    {
        Assert.IsFalse(AccessTokenIssuer.IsWithinLifetime(null, null, Start, TimeSpan.FromSeconds(5)));
    }

    private TokenValidationParameters ValidationParametersFromJwks()
    {
        // The Backend's path: JWKS JSON → IdentityModel keys.
        var json = JsonSerializer.Serialize(JsonWebKeySetDocument.From(_keys.VerificationKeys));
        return new TokenValidationParameters
        {
            ValidIssuer = "aspire-resilience-auth",
            ValidAudience = "aspire-resilience-backend",
            IssuerSigningKeys = new JsonWebKeySet(json).GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            LifetimeValidator = (nbf, exp, _, _) => AccessTokenIssuer.IsWithinLifetime(nbf, exp, _time.GetUtcNow(), TimeSpan.FromSeconds(5)),
        };
    }

    private static SecurityTokenDescriptor CloneWith(SecurityTokenDescriptor source, Action<SecurityTokenDescriptor> change)
    {
        var copy = new SecurityTokenDescriptor
        {
            Issuer = source.Issuer,
            Audience = source.Audience,
            IssuedAt = source.IssuedAt,
            Expires = source.Expires,
            Claims = source.Claims,
        };
        change(copy);
        return copy;
    }
}
