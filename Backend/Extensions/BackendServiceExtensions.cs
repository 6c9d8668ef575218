using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Apis;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Gateway;
using AspireResilience.Backend.Sessions;

namespace AspireResilience.Backend.Extensions;

public static class BackendServiceExtensions
{
    public static IHostApplicationBuilder AddBackendServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddRedisClient("redis", configureOptions: redis =>
        {
            // Keep commands queued while Redis restarts instead of failing at once.
            redis.AbortOnConnectFail = false;
            redis.ConnectRetry = int.MaxValue;
        });
        builder.ExcludeFromHttpTracing(GatewayApi.Path);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().BindConfiguration("Gateway").ValidateOnStart();
        services.AddOptions<SessionStoreOptions>().BindConfiguration("Sessions").ValidateOnStart();
        services.AddOptions<AgentOptions>().BindConfiguration("Agent").ValidateOnStart();
        services.AddOptions<TokenValidationOptions>().BindConfiguration("Auth").ValidateOnStart();

        services.AddHttpClient(JwksKeyProvider.HttpClientName);
        services.AddSingleton<JwksKeyProvider>();
        services.AddSingleton<AccessTokenValidator>();

        services.AddSingleton<SessionStore>();
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
