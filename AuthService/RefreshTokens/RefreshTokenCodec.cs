using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>
/// Refresh tokens are their family's id, a dot, and 32 random bytes, base64url. The family id in
/// front puts every key of a family under one Redis Cluster hash tag (<see cref="AuthRedisKeys"/>),
/// so rotation stays one script on a cluster; it is not secret. Redis only ever sees their SHA-256, so a dump
/// of Redis yields no usable token. Randomness is the OS CSPRNG on purpose: these are secrets,
/// so tests assert shape and uniqueness rather than injecting a seeded randomizer.
/// </summary>
public static class RefreshTokenCodec
{
    public static string NewToken(string familyId) => familyId + "." + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The family id a token names, or null when it is not of this shape (then Redis cannot know it).</summary>
    public static string? FamilyIdOf(string token) =>
        token.IndexOf('.') is var dot and > 0 && dot < token.Length - 1 && token.IndexOf('.', dot + 1) < 0 ? token[..dot] : null;

    public static string NewFamilyId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes; the Redis key suffix.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
