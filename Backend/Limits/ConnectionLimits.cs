using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Limits;

/// <summary>
/// Wires <see cref="ConnectionLimitOptions"/>: Kestrel's cap on upgraded connections and
/// ASP.NET Core's rate limiter on WebSocket handshakes, one token bucket per remote address
/// (behind a reverse proxy the forwarded address, which Aspire's deployments turn on with
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>). Needs <c>app.UseRateLimiter()</c> after
/// <c>app.UseWebSockets()</c>, which is what marks a request as an upgrade.
/// </summary>
public static class ConnectionLimits
{
    public static IHostApplicationBuilder AddConnectionLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConnectionLimitOptions>().BindConfiguration(ConnectionLimitOptions.SectionName)
            .Validate(o => o.MaxUpgradedConnections > 0, "Connections:MaxUpgradedConnections must be positive.")
            .Validate(o => o.HandshakesPerSecondPerAddress >= 0 && o.HandshakeBurstPerAddress > 0,
                "Connections:HandshakesPerSecondPerAddress must not be negative and Connections:HandshakeBurstPerAddress must be positive.")
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ConnectionLimitOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.Value.MaxUpgradedConnections);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ConnectionLimitOptions>>((rateLimiter, limits) =>
        {
            rateLimiter.GlobalLimiter = HandshakesPerAddress(limits.Value);
            rateLimiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }
                return ValueTask.CompletedTask;
            };
        });
        services.AddRateLimiter(_ => { });
        return builder;
    }

    /// <summary>Only upgrade requests count; the chat page, sign-in and health probes pass untouched.</summary>
    private static PartitionedRateLimiter<HttpContext> HandshakesPerAddress(ConnectionLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
            limits.HandshakesPerSecondPerAddress == 0 || !context.WebSockets.IsWebSocketRequest
                ? RateLimitPartition.GetNoLimiter(IPAddress.None)
                : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress ?? IPAddress.None, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.HandshakeBurstPerAddress,
                    TokensPerPeriod = limits.HandshakesPerSecondPerAddress,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
}
