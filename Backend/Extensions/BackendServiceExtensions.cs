using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Apis;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Gateway;
using AspireResilience.Backend.Limits;
using AspireResilience.Backend.Sessions;
using AspireResilience.Backend.SignIn;
using Microsoft.Extensions.Http.Resilience;

namespace AspireResilience.Backend.Extensions;

public static class BackendServiceExtensions
{
    public static IHostApplicationBuilder AddBackendServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddRedisClient("redis",
            // SessionStoreHealthCheck answers at once while Redis is down; the client's own check waits 5 s.
            settings => settings.DisableHealthChecks = true,
            redis =>
            {
                // Keep commands queued while Redis restarts instead of failing at once, and keep
                // reconnecting in the background.
                redis.AbortOnConnectFail = false;
                // One attempt when the process starts: with Redis down the host must start anyway
                // (Unhealthy, hellos answered 1013) rather than block in the connect until Redis is
                // back — the multiplexer goes on reconnecting by itself.
                redis.ConnectRetry = 1;
            });
        services.AddHealthChecks().AddCheck<SessionStoreHealthCheck>(SessionStoreHealthCheck.Name);
        builder.ExcludeFromHttpTracing(GatewayApi.Path);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().BindConfiguration("Gateway").ValidateOnStart();
        services.AddOptions<SessionStoreOptions>().BindConfiguration("Sessions").ValidateOnStart();
        services.AddOptions<AgentOptions>().BindConfiguration("Agent").ValidateOnStart();
        // Outside Development the signing keys come over TLS only: over plain HTTP anyone on the
        // path could hand the Backend their own key, and with it any identity.
        services.AddOptions<TokenValidationOptions>().BindConfiguration("Auth")
            .Validate(o => builder.Environment.IsDevelopment() || o.JwksUri is { Scheme: "https" },
                $"Auth:JwksUri must be https:// outside Development (environment '{builder.Environment.EnvironmentName}').")
            .ValidateOnStart();
        builder.AddConnectionLimits();

        services.AddHttpClient(JwksKeyProvider.HttpClientName);
        services.AddSingleton<JwksKeyProvider>();
        services.AddHostedService<JwksRefresher>();

        services.AddOptions<SignInOptions>().BindConfiguration("SignIn").ValidateOnStart();
        services.AddHttpClient(SignInApi.HttpClientName);
        // A refresh token is single use: a retried POST whose first answer was lost would present
        // a rotated token and revoke the family. The page retries by itself with a fresh sign-in.
        services.Configure<HttpStandardResilienceOptions>($"{SignInApi.HttpClientName}-standard",
            resilience => resilience.Retry.DisableForUnsafeHttpMethods());
        services.AddSingleton<AccessTokenValidator>();

        services.AddSingleton<SessionStore>();
        services.AddSingleton<ReconnectLimiter>();
        services.AddSingleton<UserQuota>();
        services.AddSingleton<SessionHandshake>();
        services.AddSingleton<BackendInstance>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<IAgent, DeterministicAgent>();
        services.AddSingleton<AgentRunner>();
        services.AddSingleton<AgentRunService>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentRunService>());

        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<GatewayConnectionFactory>();
        services.AddHostedService<RevocationListener>();
        return builder;
    }
}
