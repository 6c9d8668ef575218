using System.Security.Cryptography;
using System.Text;

namespace AspireResilience.AuthService.Users;

/// <summary>
/// What logs say instead of a username that failed to log in: people type passwords into the
/// username field, so the raw value never goes to a log. A keyed hash (a random key per process)
/// still lets an operator see repeated attempts on one name, but no dictionary can reverse it.
/// </summary>
public static class UsernameLogId
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    /// <summary>12 hex digits of HMAC-SHA256(process key, username).</summary>
    public static string Of(string username) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(username)))[..12];
}
