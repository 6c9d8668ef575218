using System.Text.Json.Serialization;

namespace AspireResilience.AuthService.Requests;

/// <summary>An RFC 6749 §5.2 error body.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string InvalidClient = "invalid_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";

    /// <summary>Not in RFC 6749 §5.2 but widely understood: a dependency (Redis) is down, retry later (503).</summary>
    public const string TemporarilyUnavailable = "temporarily_unavailable";

    public static OAuthError Request(string description) => new(InvalidRequest, description);

    public static OAuthError Grant(string description) => new(InvalidGrant, description);
}
