using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>
/// Refresh tokens are 32 random bytes, base64url. Redis only ever sees their SHA-256, so a dump
/// of Redis yields no usable token. Randomness is the OS CSPRNG on purpose: these are secrets,
/// so tests assert shape and uniqueness rather than injecting a seeded randomizer.
/// </summary>
public static class RefreshTokenCodec
{
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewFamilyId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes; the Redis key suffix.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
