using AspireResilience.AuthService.RefreshTokens;
using AspireResilience.AuthService.Revocations;
using AspireResilience.AuthService.Signing;
using AspireResilience.AuthService.Telemetry;
using AspireResilience.AuthService.Tokens;
using AspireResilience.AuthService.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AspireResilience.AuthService.Extensions;

public static class Extensions
{
    /// <summary>Registers the token service; expects <c>AddRedisClient("redis")</c> to have run.</summary>
    public static IHostApplicationBuilder AddAuthServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer) && !string.IsNullOrWhiteSpace(o.Audience), "Auth:Issuer and Auth:Audience must be set.")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > o.AccessTokenLifetime,
                "Auth:AccessTokenLifetime must be positive and shorter than Auth:RefreshTokenLifetime.")
            .Validate(o => o.RefreshFamilyLifetime >= o.RefreshTokenLifetime, "Auth:RefreshFamilyLifetime must not be shorter than Auth:RefreshTokenLifetime.")
            .Validate(o => o.JwksMaxAge > TimeSpan.Zero, "Auth:JwksMaxAge must be positive.")
            .Validate(o => o.RefreshReuseGrace >= TimeSpan.Zero && o.RefreshReuseGrace <= TimeSpan.FromMinutes(5),
                "Auth:RefreshReuseGrace must be between 0 and 5 minutes.")
            .Validate(o => o.RateLimits.PerAddressPermitLimit > 0 && o.RateLimits.PerUsernamePermitLimit > 0 && o.RateLimits.Window > TimeSpan.Zero,
                "Auth:RateLimits: the permit limits and the window must be positive.")
            .Validate(o => builder.Environment.IsDevelopment() || !DemoUsers.AnyHasDefaultPassword(o.Users),
                $"Auth:Users holds a demo password from appsettings.Development.json, which is refused outside Development (environment '{builder.Environment.EnvironmentName}').")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuthTelemetry>();
        // Activated at startup: a missing or unreadable key directory fails the start, not the first login.
        builder.Services.AddActivatedSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<RefreshTokenStore>();
        builder.Services.AddSingleton<RevocationService>();
        builder.Services.AddSingleton<TokenService>();
        return builder;
    }
}
