using System.Diagnostics;

namespace AspireResilience.Backend.Auth;

/// <summary>
/// Re-reads the JWKS whenever the cached set's max-age runs out, so a key removed from the set
/// stops being trusted within that time even if no token ever names an unknown kid. A failed read
/// keeps the last set and is tried again after <see cref="TokenValidationOptions.JwksMinRefresh"/>.
/// </summary>
public sealed partial class JwksRefresher(
    JwksKeyProvider keys,
    Microsoft.Extensions.Options.IOptions<TokenValidationOptions> options,
    TimeProvider time,
    ILogger<JwksRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Activity.Current = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = keys.StaleAt - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue; // a kid-miss fetch may have moved StaleAt meanwhile
            }
            try
            {
                await keys.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever the failure (the AuthService down, a resilience-pipeline rejection, a
                // malformed set), it must not stop the host: a BackgroundService that throws does.
                LogRefreshFailed(logger, ex.GetType().Name);
                await Task.Delay(options.Value.JwksMinRefresh, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "JWKS re-read failed ({Error}); the last key set stays in use")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
