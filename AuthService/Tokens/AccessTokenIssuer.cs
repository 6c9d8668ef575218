using System.Buffers.Text;
using System.Security.Cryptography;
using AspireResilience.AuthService.Signing;
using AspireResilience.Contracts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireResilience.AuthService.Tokens;

/// <summary>Creates RS256 access tokens and validates the ones this service issued.</summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, IOptionsMonitor<AuthOptions> options, TimeProvider timeProvider)
{
    /// <summary>The refresh-token family the token came from, so revoking a family can find its sockets.</summary>
    public const string FamilyIdClaim = AccessTokenContract.FamilyIdClaim;

    /// <summary>The <c>typ</c> header (RFC 9068): see <see cref="AccessTokenContract.TokenType"/>.</summary>
    public const string TokenType = AccessTokenContract.TokenType;

    /// <summary>Seconds, not the library's five-minute default: a revoked-by-expiry token must stop quickly.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    // Times come from the TimeProvider, never from the handler's own clock.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public IssuedAccessToken Create(string subject, string familyId)
    {
        var settings = options.CurrentValue;
        // JWT times are whole seconds; truncating keeps expires_in exactly equal to exp - iat.
        var now = DateTimeOffset.FromUnixTimeSeconds(timeProvider.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = now + settings.AccessTokenLifetime;
        var jti = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = jti,
                [FamilyIdClaim] = familyId,
            },
            SigningCredentials = new SigningCredentials(keys.Current.SecurityKey, SecurityAlgorithms.RsaSha256),
        };
        return new IssuedAccessToken(_handler.CreateToken(descriptor), jti, now, expiresAt);
    }

    /// <summary>The claims of a valid token this service issued (current or previous key), else null.</summary>
    public async Task<AccessTokenClaims?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_handler.CanReadToken(token))
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, CreateValidationParameters(keys.VerificationKeys, options.CurrentValue, timeProvider));
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || string.IsNullOrEmpty(jwt.Id) || string.IsNullOrEmpty(jwt.Subject))
        {
            return null;
        }

        var familyId = jwt.TryGetPayloadValue<string>(FamilyIdClaim, out var fid) ? fid : null;
        return new AccessTokenClaims(jwt.Subject, jwt.Id, familyId, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    /// <summary>The rules a verifier of our tokens should apply (the Backend mirrors them).</summary>
    public static TokenValidationParameters CreateValidationParameters(
        IEnumerable<SigningKey> signingKeys, AuthOptions settings, TimeProvider timeProvider) => new()
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKeys = signingKeys.Select(key => key.SecurityKey).ToList(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = [TokenType],
            ClockSkew = ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // The handler would read the system clock; this keeps validation on the injected one.
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, timeProvider.GetUtcNow(), ClockSkew),
        };

    /// <summary>exp is required; nbf optional; both widened by <paramref name="clockSkew"/>.</summary>
    public static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now, TimeSpan clockSkew) =>
        expires is { } exp
        && now.UtcDateTime < exp.ToUniversalTime() + clockSkew
        && (notBefore is not { } nbf || now.UtcDateTime >= nbf.ToUniversalTime() - clockSkew);
}
