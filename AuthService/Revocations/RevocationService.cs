using System.Diagnostics;
using AspireResilience.AuthService.RefreshTokens;
using AspireResilience.AuthService.Requests;
using AspireResilience.AuthService.Telemetry;
using AspireResilience.AuthService.Tokens;
using AspireResilience.Contracts;
using StackExchange.Redis;

namespace AspireResilience.AuthService.Revocations;

/// <summary>
/// RFC 7009 revocation. Every revocation is stored (keys the Backend checks on <c>hello</c>) and
/// then published on <c>auth:revocations</c> (so the Backend closes live sockets). Storing first
/// means a lost publish still blocks the next connection attempt.
/// </summary>
public sealed partial class RevocationService(
    IConnectionMultiplexer redis,
    RefreshTokenStore refreshTokens,
    AccessTokenIssuer accessTokens,
    AuthTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<RevocationService> logger)
{
    public const string ReasonReuse = "reuse";
    public const string ReasonRequest = "request";
    public const string ReasonAdmin = "admin";

    /// <summary>Handles <c>/connect/revoke</c>. Unknown or invalid tokens are not an error (RFC 7009 §2.2).</summary>
    public async Task RevokeAsync(RevocationRequest request, CancellationToken cancellationToken)
    {
        using var activity = AuthTelemetry.StartRevoke();
        // RFC 7009 §2.1: start with the hinted type, then extend the search to the other one.
        var accessTokenFirst = request.TokenTypeHint == RevocationRequest.AccessTokenHint
            || (request.TokenTypeHint is null && LooksLikeJwt(request.Token));
        var revoked = accessTokenFirst
            ? await TryRevokeAccessTokenAsync(request.Token, activity, cancellationToken)
                || await TryRevokeRefreshTokenAsync(request.Token, activity, cancellationToken)
            : await TryRevokeRefreshTokenAsync(request.Token, activity, cancellationToken)
                || await TryRevokeAccessTokenAsync(request.Token, activity, cancellationToken);
        if (!revoked)
        {
            activity?.SetTag("token_type", "unknown");
            Log.NothingToRevoke(logger);
        }
    }

    /// <summary>Announces a family revoked by the rotation script (its keys are already written).</summary>
    public async Task PublishFamilyRevokedAsync(RefreshTokenFamily family, string reason, CancellationToken cancellationToken)
    {
        telemetry.Revoked("family", reason);
        Log.FamilyRevoked(logger, family.FamilyId, family.Subject, reason);
        await PublishAsync(new RevocationMessage(family.FamilyId, null, family.Subject), cancellationToken);
    }

    /// <summary>
    /// The admin API's "revoke all tokens": every live family is revoked and announced, so every
    /// refresh token dies, every access token issued from one is refused at its next check, and
    /// every socket on one closes 4003. Returns how many families it revoked.
    /// </summary>
    public async Task<int> RevokeAllAsync(CancellationToken cancellationToken)
    {
        using var activity = AuthTelemetry.StartRevoke();
        var revoked = 0;
        await foreach (var family in refreshTokens.LiveFamiliesAsync(cancellationToken))
        {
            await refreshTokens.RevokeFamilyAsync(family, cancellationToken);
            await PublishFamilyRevokedAsync(family, ReasonAdmin, cancellationToken);
            revoked++;
        }
        activity?.SetTag("token_type", "all");
        activity?.SetTag("revoked_families", revoked);
        Log.AllRevoked(logger, revoked);
        return revoked;
    }

    private async Task<bool> TryRevokeRefreshTokenAsync(string token, Activity? activity, CancellationToken cancellationToken)
    {
        if (token.Length > OAuthRequestParser.MaxRefreshTokenLength
            || await refreshTokens.FindFamilyAsync(token, cancellationToken) is not { } family)
        {
            return false;
        }

        activity?.SetTag("token_type", RevocationRequest.RefreshTokenHint);
        activity?.SetTag(AuthTelemetry.UserIdAttribute, family.Subject);
        await refreshTokens.RevokeFamilyAsync(family, cancellationToken);
        await PublishFamilyRevokedAsync(family, ReasonRequest, cancellationToken);
        return true;
    }

    private async Task<bool> TryRevokeAccessTokenAsync(string token, Activity? activity, CancellationToken cancellationToken)
    {
        if (!LooksLikeJwt(token) || await accessTokens.ValidateAsync(token, cancellationToken) is not { } claims)
        {
            return false;
        }

        activity?.SetTag("token_type", RevocationRequest.AccessTokenHint);
        activity?.SetTag(AuthTelemetry.UserIdAttribute, claims.Subject);
        // Until the last moment a verifier with our clock skew would still accept the token.
        var remaining = claims.ExpiresAt + AccessTokenIssuer.ClockSkew - timeProvider.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return true;
        }

        await redis.GetDatabase().StringSetAsync(RevocationContract.RevokedJti(claims.Jti), claims.Subject, remaining);
        telemetry.Revoked("jti", ReasonRequest);
        Log.JtiRevoked(logger, claims.Jti, claims.Subject);
        await PublishAsync(new RevocationMessage(null, claims.Jti, claims.Subject), cancellationToken);
        return true;
    }

    private async Task PublishAsync(RevocationMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await redis.GetSubscriber().PublishAsync(
            RedisChannel.Literal(RevocationContract.Channel), RevocationContract.Serialize(message));
    }

    private static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;
}
