namespace AspireResilience.AuthService.Users;

/// <summary>
/// The demo users' passwords that ship in <c>appsettings.Development.json</c>. Everyone who has
/// read this repository knows them, so outside Development a user configured with one of them
/// stops the start-up (<see cref="Extensions.Extensions.AddAuthServices"/>).
/// </summary>
public static class DemoUsers
{
    public static IReadOnlySet<string> DefaultPasswords { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "alice-password",
        "bob-password",
    };

    /// <summary>Whether any configured user has a shipped demo password.</summary>
    public static bool AnyHasDefaultPassword(IReadOnlyDictionary<string, string> users) =>
        users.Values.Any(DefaultPasswords.Contains);
}
