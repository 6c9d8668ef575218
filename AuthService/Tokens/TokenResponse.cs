using System.Text.Json.Serialization;

namespace AspireResilience.AuthService.Tokens;

/// <summary>RFC 6749 §5.1 successful token response.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken)
{
    public const string BearerTokenType = "Bearer";

    public override string ToString() => $"{nameof(TokenResponse)} {{ ExpiresIn = {ExpiresIn} }}";
}
