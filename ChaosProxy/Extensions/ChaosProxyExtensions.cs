using System.Diagnostics.Metrics;
using AspireResilience.ChaosProxy.Proxies;
using AspireResilience.ChaosProxy.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AspireResilience.ChaosProxy.Extensions;

public static class ChaosProxyExtensions
{
    /// <summary>
    /// Adds the proxies (from <c>ChaosProxy:Proxies</c>), their control API's services and limits.
    /// Time and randomness are registered with TryAdd so a test host can inject its own
    /// <see cref="TimeProvider"/> or <c>ProxyEnvironment</c>.
    /// </summary>
    public static TBuilder AddChaosProxy<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<ChaosProxyOptions>()
            .Bind(builder.Configuration.GetSection(ChaosProxyOptions.SectionName))
            .Validate(o => o.ApiToken is { Length: >= ChaosProxyOptions.MinApiTokenLength },
                $"{ChaosProxyOptions.SectionName}:ApiToken is required (at least {ChaosProxyOptions.MinApiTokenLength} characters): the control API answers only its holder.")
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ChaosProxyOptions>>((kestrel, chaos) => kestrel.Limits.MaxRequestBodySize = chaos.Value.MaxRequestBodySize);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ChaosProxyTelemetry(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new ProxyEnvironment(
            sp.GetRequiredService<TimeProvider>(),
            Random.Shared.NextDouble,
            sp.GetRequiredService<ChaosProxyTelemetry>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IOptions<ChaosProxyOptions>>().Value.UpstreamConnectTimeout));
        services.TryAddSingleton<ProxyRegistry>();
        services.AddHostedService<ProxyBootstrapper>();
        return builder;
    }
}
