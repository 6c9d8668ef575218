using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// The soak's AppHost: two Backend replicas (one is killed or restarted at a time, so the other
/// serves), short access tokens (every client refreshes in-band every few seconds, all through the
/// run), a 1 s heartbeat (dead links found in about 2 s), short answers at a moderate pace (so 50
/// clients do not starve a 2-core machine that also runs the AppHost) and a context of
/// <see cref="ContextTurns"/> turns (so the reference answers are few: see <see cref="ReferenceTurns"/>).
/// </summary>
public static class SoakSettings
{
    /// <summary>How long an access token lives.</summary>
    public static TimeSpan TokenLifetime { get; } = TimeSpan.FromSeconds(8);

    /// <summary>Chunks per answer.</summary>
    public const int ChunkCount = 10;

    /// <summary>The agent's pause before each chunk.</summary>
    public static TimeSpan ChunkDelay { get; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Context entries a run sees at most (a prompt and its answer are two).</summary>
    public const int ContextTurns = 6;

    /// <summary>
    /// Turns with distinct answers: the n-th prompt of a session sees min(2n, <see cref="ContextTurns"/>)
    /// entries, so every turn from <see cref="ContextTurns"/>/2 on answers as that one does.
    /// </summary>
    public const int ReferenceTurns = ContextTurns / 2 + 1;

    /// <summary>
    /// The <c>resumed:false</c> reasons this environment gives cause for: none. Redis keeps its data
    /// (append-only file, restarted gracefully), the resume window is a day, and a client's backlog
    /// (one answer at a time) stays far below the outbox cap, so a fresh session is data lost.
    /// </summary>
    public static IReadOnlySet<string> JustifiedResumeFailures { get; } = new HashSet<string>();

    /// <summary>Users registered beyond one per client: the reference sessions'.</summary>
    public const int SpareUsers = 16;

    public static EnvironmentOptions Options(int clients) => new()
    {
        Name = "soak",
        BackendReplicas = 2,
        UserPoolSize = clients + SpareUsers,
        Configure = builder =>
        {
            builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth)
                .WithEnvironment("Auth__AccessTokenLifetime", TokenLifetime.ToString());
            builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
                .WithEnvironment("Gateway__HeartbeatInterval", TimeSpan.FromSeconds(1).ToString())
                .WithEnvironment("Gateway__HeartbeatTimeout", TimeSpan.FromSeconds(2).ToString())
                .WithEnvironment("Gateway__TokenExpiryLead", TimeSpan.FromSeconds(2).ToString())
                .WithEnvironment("Agent__ChunkCount", ChunkCount.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("Agent__ChunkDelay", ChunkDelay.ToString())
                .WithEnvironment("Sessions__ContextTurns", ContextTurns.ToString(CultureInfo.InvariantCulture));
        },
    };
}
