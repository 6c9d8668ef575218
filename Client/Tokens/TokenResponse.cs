using System.Text.Json.Serialization;

namespace AspireResilience.Client.Tokens;

/// <summary>The token endpoint's answer (RFC 6749 §5.1).</summary>
/// <param name="AccessToken">The JWT the <c>hello</c> and <c>refresh</c> frames carry.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresIn">The access token's lifetime in seconds.</param>
/// <param name="RefreshToken">Single-use: the next refresh presents it, and gets a new one.</param>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken);
