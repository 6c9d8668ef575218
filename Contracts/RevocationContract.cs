using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireResilience.Contracts;

/// <summary>
/// What the AuthService writes to Redis about revocations and the Backend reads: the keys
/// that mark a token or a refresh-token family revoked, and the pub/sub channel that announces
/// each revocation so live sockets close at once.
/// </summary>
public static class RevocationContract
{
    /// <summary>Pub/sub channel carrying one JSON <see cref="RevocationMessage"/> per revocation.</summary>
    public const string Channel = "auth:revocations";

    /// <summary>Prefix of the key that marks one access token (by <c>jti</c>) revoked until it expires.</summary>
    public const string RevokedJtiPrefix = "auth:revoked-jti:";

    /// <summary>Prefix of the key that marks a refresh-token family (and its access tokens) revoked.</summary>
    public const string RevokedFamilyPrefix = "auth:revoked-family:";

    /// <summary>The key that marks access token <paramref name="jti"/> revoked.</summary>
    public static string RevokedJti(string jti) => RevokedJtiPrefix + jti;

    /// <summary>The key that marks family <paramref name="familyId"/> revoked; the family's hash tag, so its revocation is one script on a cluster.</summary>
    public static string RevokedFamily(string familyId) => $"{RevokedFamilyPrefix}{{{familyId}}}";

    /// <summary>The message's wire form on <see cref="Channel"/>.</summary>
    public static string Serialize(RevocationMessage message) => JsonSerializer.Serialize(message);

    /// <summary>Reads a message from <see cref="Channel"/>; null when it is not one.</summary>
    public static RevocationMessage? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RevocationMessage>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Published on <see cref="RevocationContract.Channel"/>: a family revocation sets
/// <see cref="FamilyId"/>, an access-token revocation sets <see cref="Jti"/>; the other is null.
/// </summary>
/// <param name="FamilyId">The revoked refresh-token family, or null.</param>
/// <param name="Jti">The revoked access token's id, or null.</param>
/// <param name="Sub">The user the revoked token belongs to.</param>
public sealed record RevocationMessage(
    [property: JsonPropertyName("familyId")] string? FamilyId,
    [property: JsonPropertyName("jti")] string? Jti,
    [property: JsonPropertyName("sub")] string Sub);
