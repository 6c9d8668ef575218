using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using AspireResilience.AuthService.Requests;
using Microsoft.Extensions.Options;

namespace AspireResilience.AuthService.Apis;

/// <summary>
/// The limits of <c>/connect/token</c> (<see cref="TokenRateLimitOptions"/>): ASP.NET Core's rate
/// limiting middleware counts per client address before the body is read; the per-username count
/// needs the parsed form, so the endpoint asks <see cref="UsernameLimiter"/> itself. Both answer 429
/// with <c>Retry-After</c>.
/// </summary>
public static class TokenRateLimits
{
    public const string PerAddressPolicy = "token-per-address";

    public static IServiceCollection AddTokenRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<UsernameLimiter>();
        services.AddRateLimiter(options =>
        {
            options.OnRejected = (context, _) => new ValueTask(WriteTooManyRequestsAsync(context.HttpContext, context.Lease));
            options.AddPolicy(PerAddressPolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.RateLimits;
                return RateLimitPartition.GetFixedWindowLimiter(AddressKey(context.Connection.RemoteIpAddress),
                    _ => Window(limits.PerAddressPermitLimit, limits.Window));
            });
        });
        return services;
    }

    /// <summary>429, <c>Retry-After</c> in whole seconds (at least 1), not cacheable.</summary>
    public static Task WriteTooManyRequestsAsync(HttpContext context, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(
            new OAuthError(OAuthError.TemporarilyUnavailable, "Too many token requests; retry after the time in Retry-After."));
    }

    // IPv4 clients reaching a dual-stack socket show up as ::ffff:a.b.c.d; one client, one key.
    internal static string AddressKey(IPAddress? address) =>
        address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    internal static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>Password grants per username, right or wrong: slows guessing one user's password from many addresses.</summary>
    public sealed class UsernameLimiter : IDisposable
    {
        private readonly PartitionedRateLimiter<string> _limiter;

        public UsernameLimiter(IOptions<AuthOptions> options)
        {
            var limits = options.Value.RateLimits;
            // Usernames are case-sensitive (docs/auth.md), so the raw name is the partition key.
            _limiter = PartitionedRateLimiter.Create<string, string>(username =>
                RateLimitPartition.GetFixedWindowLimiter(username, _ => Window(limits.PerUsernamePermitLimit, limits.Window)));
        }

        public RateLimitLease Acquire(string username) => _limiter.AttemptAcquire(username);

        public void Dispose() => _limiter.Dispose();
    }
}
