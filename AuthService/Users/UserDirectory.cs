using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AspireResilience.AuthService.Users;

/// <summary>
/// The demo users of <see cref="AuthOptions.Users"/>. Plain-text passwords in configuration are
/// acceptable for this test environment only; a real deployment would use an identity provider.
/// </summary>
public sealed class UserDirectory(IOptionsMonitor<AuthOptions> options)
{
    // Compared against when the username is unknown, so the response time does not tell
    // which usernames exist.
    private const string UnknownUserPassword = "\0unknown-user\0";

    public bool CheckPassword(string username, string password)
    {
        var known = options.CurrentValue.Users.TryGetValue(username, out var expected)
            && !string.IsNullOrEmpty(expected);
        var matches = PasswordsMatch(password, known ? expected! : UnknownUserPassword);
        return known && matches;
    }

    /// <summary>
    /// Constant-time comparison. Hashing first makes both inputs 32 bytes, so neither the
    /// content nor the length of the expected password leaks through timing.
    /// </summary>
    public static bool PasswordsMatch(string supplied, string expected)
    {
        Span<byte> suppliedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(supplied), suppliedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        return CryptographicOperations.FixedTimeEquals(suppliedHash, expectedHash);
    }
}
