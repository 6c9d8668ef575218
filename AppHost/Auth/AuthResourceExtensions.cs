using AspireResilience.Contracts;

namespace AspireResilience.AppHost.Auth;

public static class AuthResourceExtensions
{
    /// <summary>
    /// Turns on the AuthService's admin API (key rotation) for the fault-injection suites and the
    /// dashboard's button. Run mode only: the API has no authentication of its own, so a
    /// published AuthService never maps it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAdminApi(this IResourceBuilder<ProjectResource> auth) =>
        auth.WithEnvironment("Auth__EnableAdminApi", "true")
            .WithKeyRotationCommand();

    /// <summary>
    /// The dashboard's "Rotate signing key" button: calls the AuthService's admin API, which makes
    /// a new current key and keeps the old one in the JWKS, so live tokens stay valid and new ones
    /// carry the new kid (the Backend picks it up with one JWKS re-fetch).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeyRotationCommand(this IResourceBuilder<ProjectResource> auth)
    {
        var api = auth.GetEndpoint("http");
        return auth.WithCommand(AuthAdminApi.RotateKeyCommand, "Rotate signing key", async context =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(api.Url), Timeout = TimeSpan.FromSeconds(10) };
            using var response = await client.PostAsync(AuthAdminApi.RotateKeyPath, content: null, context.CancellationToken);
            return response.IsSuccessStatusCode
                ? CommandResults.Success()
                : CommandResults.Failure($"the admin API answered {(int)response.StatusCode} (is Auth:EnableAdminApi on?)");
        }, new CommandOptions
        {
            Description = "New signing key for new tokens; the previous key stays in the JWKS until the next rotation.",
            IconName = "KeyReset",
            UpdateState = context => context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });
    }
}
