namespace AspireResilience.AppHost;

internal static class AppHostSettings
{
    /// <summary>
    /// Where Redis' append-only file and the AuthService's signing keys live:
    /// <c>AppHost:DataDirectory</c>, by default the AppHost's own obj folder, so F5 runs keep
    /// their sessions and keys while each test fixture can point at its own folder.
    /// </summary>
    public static string DataDirectory(this IDistributedApplicationBuilder builder) =>
        builder.Configuration["AppHost:DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(builder.AppHostDirectory, "obj", "data");
}
