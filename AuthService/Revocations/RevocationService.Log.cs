namespace AspireResilience.AuthService.Revocations;

public sealed partial class RevocationService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Revoked refresh family {FamilyId} of {Sub} ({Reason})")]
        public static partial void FamilyRevoked(ILogger logger, string familyId, string sub, string reason);

        [LoggerMessage(2, LogLevel.Information, "Revoked access token {Jti} of {Sub}")]
        public static partial void JtiRevoked(ILogger logger, string jti, string sub);

        [LoggerMessage(4, LogLevel.Warning, "Revoked every token: {Families} refresh families (admin API)")]
        public static partial void AllRevoked(ILogger logger, int families);

        [LoggerMessage(3, LogLevel.Debug, "Revocation request named no live token of this service")]
        public static partial void NothingToRevoke(ILogger logger);
    }
}
