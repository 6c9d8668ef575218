using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireResilience.E2ETests.Suite04_ExpiredToken;

/// <summary>
/// Forges access tokens the way an attacker or a skewed client would present them: the
/// AuthService's own claims (docs/auth.md §Access-token claims), signed with the AuthService's
/// real signing key read from the environment's key directory, or with a key of our own, or
/// not at all. Every token starts as a copy of a genuine one and changes one thing.
/// </summary>
internal sealed class TokenForge
{
    public const string Issuer = "aspire-resilience-auth";
    public const string Audience = "aspire-resilience-backend";

    // Our times, never the handler's clock.
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly RSA _signingKey;

    private TokenForge(string currentKid, RSA signingKey)
    {
        CurrentKid = currentKid;
        _signingKey = signingKey;
    }

    /// <summary>The AuthService's current kid (first line of <c>auth-keys/current</c>).</summary>
    public string CurrentKid { get; }

    /// <summary>
    /// Loads the AuthService's current signing key. Call it after the AuthService issued a token,
    /// so the key exists on disk.
    /// </summary>
    /// <summary>Loads the current key of <paramref name="env"/>'s AuthService once it has surely written one: after a real token.</summary>
    public static async Task<TokenForge> LoadAsync(TestEnvironment env)
    {
        var (name, password) = env.Users.Next();
        await env.Tokens.PasswordAsync(name, password, Timeouts.Token());
        return Load(env.DataDirectory);
    }

    public static TokenForge Load(string dataDirectory) =>
        Load(dataDirectory, File.ReadLines(Path.Combine(dataDirectory, "auth-keys", "current")).First().Trim());

    /// <summary>Loads the AuthService's key <paramref name="kid"/> (current or not: rotated keys stay on disk).</summary>
    public static TokenForge Load(string dataDirectory, string kid)
    {
        var directory = Path.Combine(dataDirectory, "auth-keys");
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(directory, kid + ".key.pem")));
        return new TokenForge(kid, rsa);
    }

    /// <summary>
    /// An RS256 token with the AuthService's claims. Defaults: genuine key and kid, the real
    /// issuer and audience, <c>iat = nbf = now</c>, <c>exp = now + 5 min</c>.
    /// </summary>
    /// <param name="key">Sign with this key instead of the AuthService's.</param>
    /// <param name="kid">The <c>kid</c> header (defaults to the current kid).</param>
    /// <param name="omitExpiry">Leave out <c>exp</c> altogether.</param>
    /// <param name="type">The <c>typ</c> header (the AuthService's is <c>at+jwt</c>).</param>
    public string Create(
        string subject,
        DateTimeOffset? expires = null,
        DateTimeOffset? notBefore = null,
        string issuer = Issuer,
        string audience = Audience,
        RSA? key = null,
        string? kid = null,
        bool omitExpiry = false,
        string type = AccessTokenContract.TokenType)
    {
        var now = WholeSecondsNow();
        var exp = expires ?? now.AddMinutes(5);
        var nbf = notBefore ?? Min(now, exp.AddMinutes(-5));
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = Min(nbf, now).UtcDateTime,
            NotBefore = nbf.UtcDateTime,
            Expires = omitExpiry ? null : exp.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = NewId(),
                ["fid"] = NewId(),
            },
            SigningCredentials = new SigningCredentials(
                new RsaSecurityKey(key ?? _signingKey) { KeyId = kid ?? CurrentKid }, SecurityAlgorithms.RsaSha256),
        };
        return Handler.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>, empty signature) with genuine claims and the current kid.</summary>
    public string Unsigned(string subject) =>
        Compose(new Dictionary<string, object> { ["alg"] = "none", ["kid"] = CurrentKid, ["typ"] = AccessTokenContract.TokenType }, Payload(subject), _ => []);

    /// <summary>
    /// HS256 keyed with bytes of the AuthService's <b>public</b> key: the algorithm-confusion
    /// attack on verifiers that let the token pick the algorithm.
    /// </summary>
    public string HmacWithPublicKey(string subject, byte[] secret) =>
        Compose(new Dictionary<string, object> { ["alg"] = "HS256", ["kid"] = CurrentKid, ["typ"] = AccessTokenContract.TokenType }, Payload(subject),
            signingInput => HMACSHA256.HashData(secret, signingInput));

    /// <summary>The encodings of the public key an attacker would try as an HMAC secret.</summary>
    public IEnumerable<(string Name, byte[] Secret)> PublicKeyEncodings()
    {
        yield return ("SubjectPublicKeyInfo PEM", Encoding.ASCII.GetBytes(_signingKey.ExportSubjectPublicKeyInfoPem()));
        yield return ("SubjectPublicKeyInfo PEM + newline", Encoding.ASCII.GetBytes(_signingKey.ExportSubjectPublicKeyInfoPem() + "\n"));
        yield return ("SubjectPublicKeyInfo DER", _signingKey.ExportSubjectPublicKeyInfo());
        yield return ("RSAPublicKey PEM", Encoding.ASCII.GetBytes(_signingKey.ExportRSAPublicKeyPem()));
        yield return ("RSAPublicKey DER", _signingKey.ExportRSAPublicKey());
        yield return ("modulus", _signingKey.ExportParameters(includePrivateParameters: false).Modulus!);
    }

    /// <summary>A kid in the AuthService's format that no key has.</summary>
    public static string RandomKid() =>
        $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    private static Dictionary<string, object> Payload(string subject)
    {
        var now = WholeSecondsNow();
        return new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
            ["jti"] = NewId(),
            ["fid"] = NewId(),
        };
    }

    private static string Compose(Dictionary<string, object> header, Dictionary<string, object> payload, Func<byte[], byte[]> sign)
    {
        var signingInput = $"{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        return $"{signingInput}.{Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)))}";
    }

    private static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    private static DateTimeOffset WholeSecondsNow() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
