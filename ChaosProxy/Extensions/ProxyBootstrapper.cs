using AspireResilience.ChaosProxy.Proxies;
using Microsoft.Extensions.Options;

namespace AspireResilience.ChaosProxy.Extensions;

/// <summary>
/// Creates the configured proxies before the control API starts (so a healthy ChaosProxy is a
/// listening one) and closes every proxy on shutdown. A bad declaration stops the start-up.
/// </summary>
internal sealed partial class ProxyBootstrapper(
    ProxyRegistry registry,
    IOptions<ChaosProxyOptions> options,
    ILogger<ProxyBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, declared) in options.Value.Proxies.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!ListenAddress.TryParse(declared.Listen, out var listen, out var error)
                || !HostPort.TryParse(declared.Upstream, out var upstream, out error))
            {
                throw new InvalidOperationException($"{ChaosProxyOptions.SectionName}:Proxies:{name}: {error}");
            }

            var proxy = await registry.CreateAsync(new ProxyDefinition(name, listen, upstream, declared.Enabled), cancellationToken);
            LogConfiguredProxy(logger, name, proxy!.Listen, upstream.ToString(), declared.Enabled);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await registry.DisposeAsync();

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Configured proxy {Proxy}: {Listen} -> {Upstream} (enabled: {Enabled})")]
    private static partial void LogConfiguredProxy(ILogger logger, string proxy, string listen, string upstream, bool enabled);
}
