using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireResilience.E2ETests.Suite10_TokenRefresh;

/// <summary>
/// The token suites' own AppHost: access tokens live 2 s, <c>token.expiring</c> comes 1 s ahead,
/// the JWKS says max-age 2 s, and tests rotate the signing key (global state, hence not the
/// shared AppHost). Answers are slow (15 s each) so a session streams for as long as a test needs.
/// Shared by the Suite04 key-rotation class and the Suite10 short-token class: one start-up for both.
/// </summary>
public sealed class ShortTokenEnvironment : IEnvironmentDefinition
{
    public static TimeSpan TokenLifetime { get; } = TimeSpan.FromSeconds(2);

    public static TimeSpan ExpiryLead { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The Backend's clock skew, which is also the grace after expiry before 4001 (its default).</summary>
    public static TimeSpan Grace { get; } = TimeSpan.FromSeconds(5);

    public static TimeSpan JwksMaxAge { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Chunks of every answer, each after <see cref="ChunkDelay"/>: 15 s per answer.</summary>
    public static int ChunkCount => 150;

    public static TimeSpan ChunkDelay { get; } = TimeSpan.FromMilliseconds(100);

    public static EnvironmentOptions Options => new()
    {
        Name = "suite10short",
        UserPoolSize = 32,
        BackendReplicas = 1,
        Configure = builder =>
        {
            builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth)
                .WithEnvironment("Auth__AccessTokenLifetime", TokenLifetime.ToString())
                .WithEnvironment("Auth__JwksMaxAge", JwksMaxAge.ToString());
            builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
                .WithEnvironment("Gateway__TokenExpiryLead", ExpiryLead.ToString())
                .WithEnvironment("Agent__ChunkCount", ChunkCount.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithEnvironment("Agent__ChunkDelay", ChunkDelay.ToString());
        },
    };

    // Two classes use it (Suite04's key rotation, Suite10's short tokens): shared, so it starts once.
    public static bool Shared => true;
}
