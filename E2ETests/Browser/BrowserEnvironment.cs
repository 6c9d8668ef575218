using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireResilience.E2ETests.Browser;

/// <summary>
/// The browser suite SIGKILLs the Backend, so it owns its AppHost (one process, as Suite05), and
/// it shortens access tokens to 35 s: with the Backend's 30 s lead, every page hears
/// <c>token.expiring</c> about 5 s after each token and refreshes in-band, in every test.
/// </summary>
public sealed class BrowserEnvironment : IEnvironmentDefinition
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(35);

    public static EnvironmentOptions Options => new()
    {
        Name = "browser",
        BackendReplicas = 1,
        UserPoolSize = 20,
        Configure = builder => builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth)
            .WithEnvironment("Auth__AccessTokenLifetime", AccessTokenLifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
    };

    public static bool Shared => false;
}
