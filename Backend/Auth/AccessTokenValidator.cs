using AspireResilience.Contracts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace AspireResilience.Backend.Auth;

/// <summary>
/// Validates access tokens: RS256 only (no <c>none</c>, no HMAC confusion), typed <c>at+jwt</c>
/// (RFC 9068), issuer, audience, lifetime with a small skew, and the AuthService's revocation list in Redis.
/// </summary>
public sealed class AccessTokenValidator(
    JwksKeyProvider keys,
    IConnectionMultiplexer redis,
    IOptions<TokenValidationOptions> options,
    TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>How often a live connection re-checks its token for a revocation (<see cref="TokenValidationOptions.RevocationCheckInterval"/>).</summary>
    public TimeSpan RevocationCheckInterval => options.Value.RevocationCheckInterval;

    public async Task<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (token.Length == 0 || token.Length > settings.MaxTokenLength || !Handler.CanReadToken(token))
        {
            return TokenCheck.Fail(TokenFailure.Invalid);
        }
        JsonWebToken parsed;
        try
        {
            parsed = Handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            // CanReadToken only checks the shape; parts that do not decode land here.
            return TokenCheck.Fail(TokenFailure.Invalid);
        }
        // Parsed once: the kid picks the key, and the same parsed token is validated.
        var kid = parsed.Kid;
        var key = string.IsNullOrEmpty(kid) ? null : await keys.FindAsync(kid, cancellationToken);
        if (key is null) return TokenCheck.Fail(TokenFailure.Invalid);

        var result = await Handler.ValidateTokenAsync(parsed, new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = [AccessTokenContract.TokenType],
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = settings.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, p) => LifetimeIsValid(notBefore, expires, p.ClockSkew),
        });
        if (!result.IsValid)
        {
            // The handler checks the signature before the lifetime, so "expired" is only said of a genuine token.
            return TokenCheck.Fail(result.Exception is SecurityTokenExpiredException ? TokenFailure.Expired : TokenFailure.Invalid);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var identity = new TokenIdentity(
            jwt.Subject,
            jwt.Id,
            jwt.TryGetPayloadValue<string>(AccessTokenContract.FamilyIdClaim, out var fid) ? fid : null,
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        if (string.IsNullOrEmpty(identity.Subject)) return TokenCheck.Fail(TokenFailure.Invalid);
        return await IsRevokedAsync(identity) ? TokenCheck.Fail(TokenFailure.Revoked) : new TokenCheck(identity, TokenFailure.None);
    }

    // Our own lifetime rule, so that "now" comes from the injected TimeProvider. It replaces the
    // library's checks, RequireExpirationTime included, so a missing exp is rejected here: as
    // invalid (4003), never as "expired" (4001), which would invite the client to refresh and retry.
    private bool LifetimeIsValid(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (expires.Value.ToUniversalTime() + skew < now)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }
        return notBefore is null || notBefore.Value.ToUniversalTime() - skew <= now;
    }

    /// <summary>
    /// Whether the AuthService has revoked the token's <c>jti</c> or its family. One EXISTS per key,
    /// sent together: the two keys hash to different cluster slots, so one multi-key EXISTS would
    /// be refused (CROSSSLOT) on Redis Cluster.
    /// </summary>
    public async Task<bool> IsRevokedAsync(TokenIdentity identity)
    {
        var db = redis.GetDatabase();
        RedisKey[] keys =
        [
            .. identity.TokenId is { Length: > 0 } jti ? [RevocationContract.RevokedJti(jti)] : Array.Empty<RedisKey>(),
            .. identity.FamilyId is { Length: > 0 } fid ? [RevocationContract.RevokedFamily(fid)] : Array.Empty<RedisKey>(),
        ];
        var found = await Task.WhenAll(keys.Select(key => db.KeyExistsAsync(key)));
        return found.Any(exists => exists);
    }
}
