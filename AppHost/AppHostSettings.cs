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

    /// <summary>
    /// How many Backend processes run: <c>Backend:Replicas</c>, by default 2, so a killed or
    /// restarted process leaves one serving. Set 1 where a single process is the point.
    /// </summary>
    public static int BackendReplicas(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["Backend:Replicas"];
        if (configured is null) return 2;
        return int.TryParse(configured, out var replicas) && replicas is >= 1 and <= 16
            ? replicas
            : throw new InvalidOperationException($"Backend:Replicas must be a whole number from 1 to 16, not '{configured}'.");
    }
}
