using System.Text.Json.Serialization;

namespace AspireResilience.AuthService.Revocations;

/// <summary>
/// Published on <c>auth:revocations</c>: a family revocation sets <see cref="FamilyId"/>, an
/// access-token revocation sets <see cref="Jti"/>; the other is null.
/// </summary>
public sealed record RevocationMessage(
    [property: JsonPropertyName("familyId")] string? FamilyId,
    [property: JsonPropertyName("jti")] string? Jti,
    [property: JsonPropertyName("sub")] string Sub);
