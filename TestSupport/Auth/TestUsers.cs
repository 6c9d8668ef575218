using System.Security.Cryptography;

namespace AspireResilience.TestSupport.Auth;

/// <summary>
/// A pool of users registered with the AuthService before the app starts, so every test can
/// have its own user and tests never share a session or a token family.
/// </summary>
public sealed class TestUsers
{
    private readonly (string Name, string Password)[] _users;
    private int _next = -1;

    public TestUsers(string prefix, int poolSize)
    {
        _users = Enumerable.Range(1, poolSize)
            .Select(i => ($"{prefix}-{i:D3}", Convert.ToHexString(RandomNumberGenerator.GetBytes(12))))
            .ToArray();
    }

    public IReadOnlyList<(string Name, string Password)> All => _users;

    public (string Name, string Password) Next()
    {
        var index = Interlocked.Increment(ref _next);
        if (index >= _users.Length) throw new InvalidOperationException($"The test user pool ({_users.Length}) is exhausted; raise EnvironmentOptions.UserPoolSize.");
        return _users[index];
    }
}
