using AspireResilience.AuthService.RefreshTokens;

namespace AspireResilience.AuthService.Tokens;

// Ids only: tokens, refresh tokens and passwords are never logged.
public sealed partial class TokenService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Issued tokens ({GrantType}) for {Sub}: family {FamilyId}, jti {Jti}")]
        public static partial void Issued(ILogger logger, string grantType, string sub, string familyId, string jti);

        [LoggerMessage(2, LogLevel.Information, "Password grant rejected for username #{UsernameLogId}")]
        public static partial void PasswordRejected(ILogger logger, string usernameLogId);

        [LoggerMessage(3, LogLevel.Warning, "Refresh token reuse detected: family {FamilyId} of {Sub} revoked")]
        public static partial void ReuseDetected(ILogger logger, string familyId, string sub);

        [LoggerMessage(5, LogLevel.Information, "Refresh token presented again within the reuse grace, its successor unused: family {FamilyId} of {Sub} rotated again")]
        public static partial void RotatedAgain(ILogger logger, string familyId, string sub);

        [LoggerMessage(4, LogLevel.Information, "Refresh token rejected ({Outcome}), family {FamilyId}")]
        public static partial void RefreshRejected(ILogger logger, RotationOutcome outcome, string? familyId);
    }
}
