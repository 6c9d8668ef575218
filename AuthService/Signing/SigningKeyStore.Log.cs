namespace AspireResilience.AuthService.Signing;

public sealed partial class SigningKeyStore
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Generated signing key {Kid} in {Directory}")]
        public static partial void KeyGenerated(ILogger logger, string kid, string directory);

        [LoggerMessage(2, LogLevel.Information, "Loaded signing key {Kid} from {Directory}")]
        public static partial void KeyLoaded(ILogger logger, string kid, string directory);

        [LoggerMessage(3, LogLevel.Information, "Rotated signing key to {Kid}; {PreviousKid} stays in the JWKS")]
        public static partial void KeyRotated(ILogger logger, string kid, string previousKid);
    }
}
