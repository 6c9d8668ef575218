using AspireResilience.AppHost.Faults;
using AspireResilience.Contracts;

namespace AspireResilience.AppHost.Auth;

public static class AuthResourceExtensions
{
    /// <summary>
    /// Turns on the AuthService's admin API (key rotation, revoke all) for the fault-injection suites and the
    /// dashboard's button. Run mode only: the API has no authentication of its own, so a
    /// published AuthService never maps it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAdminApi(this IResourceBuilder<ProjectResource> auth) =>
        auth.WithEnvironment("Auth__EnableAdminApi", "true")
            .WithKeyRotationCommand()
            .WithRevokeAllCommand();

    /// <summary>
    /// The dashboard's "Rotate signing key" button: calls the AuthService's admin API, which makes
    /// a new current key and keeps the old one in the JWKS, so live tokens stay valid and new ones
    /// carry the new kid (the Backend picks it up with one JWKS re-fetch).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeyRotationCommand(this IResourceBuilder<ProjectResource> auth) =>
        auth.WithAdminCommand(AuthAdminApi.RotateKeyCommand, "Rotate signing key", AuthAdminApi.RotateKeyPath,
            "New signing key for new tokens; the previous key stays in the JWKS until the next rotation.", "KeyReset");

    /// <summary>
    /// The dashboard's "Revoke all tokens" button: every refresh-token family is revoked and
    /// announced, so every live socket closes 4003 and every client must sign in again.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRevokeAllCommand(this IResourceBuilder<ProjectResource> auth) =>
        auth.WithAdminCommand(AuthAdminApi.RevokeAllCommand, "Revoke all tokens", AuthAdminApi.RevokeAllPath,
            "Every refresh token and every access token issued from one is revoked; live sockets close 4003.", "ShieldDismiss");

    private static IResourceBuilder<ProjectResource> WithAdminCommand(this IResourceBuilder<ProjectResource> auth,
        string name, string displayName, string path, string description, string icon)
    {
        var api = auth.GetEndpoint("http");
        return auth.WithCommand(name, displayName, context => AdminCall.PostAsync(api.Url, path, context.CancellationToken), new CommandOptions
        {
            Description = description,
            IconName = icon,
            UpdateState = AdminCall.EnabledWhenHealthy,
        });
    }
}
