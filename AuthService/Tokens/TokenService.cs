using System.Diagnostics;
using AspireResilience.AuthService.RefreshTokens;
using AspireResilience.AuthService.Requests;
using AspireResilience.AuthService.Revocations;
using AspireResilience.AuthService.Telemetry;
using AspireResilience.AuthService.Users;

namespace AspireResilience.AuthService.Tokens;

/// <summary>The two grants of <c>/connect/token</c>: password (starts a family) and refresh (rotates).</summary>
public sealed partial class TokenService(
    UserDirectory users,
    RefreshTokenStore refreshTokens,
    AccessTokenIssuer accessTokens,
    RevocationService revocations,
    AuthTelemetry telemetry,
    ILogger<TokenService> logger)
{
    public async Task<TokenGrantResult> GrantAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        using var activity = AuthTelemetry.StartIssue(request.GrantType);
        var result = request switch
        {
            PasswordGrantRequest password => await PasswordGrantAsync(password, activity, cancellationToken),
            RefreshTokenGrantRequest refresh => await RefreshGrantAsync(refresh, activity, cancellationToken),
            _ => throw new UnreachableException($"Unexpected request type {request.GetType().Name}."),
        };

        if (result.Succeeded)
        {
            telemetry.TokenIssued(request.GrantType);
        }
        else
        {
            telemetry.GrantFailed(request.GrantType, result.Error.Error);
            activity?.SetStatus(ActivityStatusCode.Error, result.Error.Error);
        }

        return result;
    }

    private async Task<TokenGrantResult> PasswordGrantAsync(PasswordGrantRequest request, Activity? activity, CancellationToken cancellationToken)
    {
        if (!users.CheckPassword(request.Username, request.Password))
        {
            Log.PasswordRejected(logger, UsernameLogId.Of(request.Username));
            // One message for unknown user and wrong password: no username enumeration.
            return TokenGrantResult.Failure(OAuthError.Grant("Invalid username or password."));
        }

        activity?.SetTag(AuthTelemetry.UserIdAttribute, request.Username);
        var refreshToken = await refreshTokens.StartFamilyAsync(request.Username, cancellationToken);
        var accessToken = accessTokens.Create(request.Username, refreshToken.FamilyId);
        Log.Issued(logger, TokenRequest.PasswordGrantType, request.Username, refreshToken.FamilyId, accessToken.Jti);
        return TokenGrantResult.Success(ToResponse(accessToken, refreshToken.Token));
    }

    private async Task<TokenGrantResult> RefreshGrantAsync(RefreshTokenGrantRequest request, Activity? activity, CancellationToken cancellationToken)
    {
        var rotation = await refreshTokens.RotateAsync(request.RefreshToken, cancellationToken);
        if (rotation.Subject is not null)
        {
            activity?.SetTag(AuthTelemetry.UserIdAttribute, rotation.Subject);
        }

        switch (rotation.Outcome)
        {
            case RotationOutcome.Rotated:
                if (rotation.Again)
                {
                    // The first rotation's answer never reached the client; this retry stands in for it.
                    Log.RotatedAgain(logger, rotation.FamilyId!, rotation.Subject!);
                    activity?.AddEvent(new ActivityEvent("refresh_token.rotated_again"));
                }
                var accessToken = accessTokens.Create(rotation.Subject!, rotation.FamilyId!);
                Log.Issued(logger, TokenRequest.RefreshTokenGrantType, rotation.Subject!, rotation.FamilyId!, accessToken.Jti);
                return TokenGrantResult.Success(ToResponse(accessToken, rotation.NewToken!));
            case RotationOutcome.Reused:
                // A rotated token came back: either the client retried a lost response or the
                // token was stolen. Both end the family (RFC 6819 §5.2.2.3; OAuth 2.0 Security BCP §4.14).
                Log.ReuseDetected(logger, rotation.FamilyId!, rotation.Subject!);
                activity?.AddEvent(new ActivityEvent("refresh_token.reuse_detected"));
                await revocations.PublishFamilyRevokedAsync(
                    new RefreshTokenFamily(rotation.FamilyId!, rotation.Subject!), RevocationService.ReasonReuse, cancellationToken);
                return TokenGrantResult.Failure(OAuthError.Grant("The refresh token was already used; its family is revoked."));
            default:
                Log.RefreshRejected(logger, rotation.Outcome, rotation.FamilyId);
                return TokenGrantResult.Failure(OAuthError.Grant(rotation.Outcome switch
                {
                    RotationOutcome.Expired => "The refresh token has expired.",
                    RotationOutcome.FamilyRevoked => "The refresh token has been revoked.",
                    _ => "The refresh token is invalid.",
                }));
        }
    }

    private static TokenResponse ToResponse(IssuedAccessToken accessToken, string refreshToken) =>
        new(accessToken.Token, TokenResponse.BearerTokenType, accessToken.ExpiresInSeconds, refreshToken);
}
