using AspireResilience.AuthService.Requests;
using AspireResilience.AuthService.Revocations;
using AspireResilience.AuthService.Tokens;
using StackExchange.Redis;

namespace AspireResilience.AuthService.Apis;

/// <summary><c>POST /connect/token</c> (RFC 6749) and <c>POST /connect/revoke</c> (RFC 7009).</summary>
public static partial class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", IssueAsync).RequireRateLimiting(TokenRateLimits.PerAddressPolicy);
        app.MapPost("/connect/revoke", RevokeAsync);
        return app;
    }

    private static async Task<IResult> IssueAsync(
        HttpContext context, TokenService tokens, TokenRateLimits.UsernameLimiter usernames, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var (form, error) = await OAuthFormReader.ReadAsync(context.Request, cancellationToken);
        if (form is null || !OAuthRequestParser.TryParseTokenRequest(form, out var request, out error))
        {
            return OAuthResults.Error(context, error!);
        }

        using var lease = request is PasswordGrantRequest password ? usernames.Acquire(password.Username) : null;
        if (lease is { IsAcquired: false })
        {
            await TokenRateLimits.WriteTooManyRequestsAsync(context, lease);
            return Results.Empty;
        }

        try
        {
            var result = await tokens.GrantAsync(request, cancellationToken);
            return result.Succeeded ? OAuthResults.Token(context, result.Response) : OAuthResults.Error(context, result.Error);
        }
        catch (Exception ex) when (IsRedisOutage(ex))
        {
            Log.TokenStoreUnavailable(CreateLogger(loggerFactory), ex);
            return OAuthResults.Unavailable(context);
        }
    }

    private static async Task<IResult> RevokeAsync(
        HttpContext context, RevocationService revocations, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var (form, error) = await OAuthFormReader.ReadAsync(context.Request, cancellationToken);
        if (form is null || !OAuthRequestParser.TryParseRevocationRequest(form, out var request, out error))
        {
            return OAuthResults.Error(context, error!);
        }

        try
        {
            await revocations.RevokeAsync(request, cancellationToken);
            return OAuthResults.Revoked(context);
        }
        catch (Exception ex) when (IsRedisOutage(ex))
        {
            Log.TokenStoreUnavailable(CreateLogger(loggerFactory), ex);
            return OAuthResults.Unavailable(context);
        }
    }

    // RedisTimeoutException derives from TimeoutException, not RedisException.
    private static bool IsRedisOutage(Exception ex) => ex is RedisException or RedisTimeoutException;

    private static ILogger CreateLogger(ILoggerFactory loggerFactory) => loggerFactory.CreateLogger(typeof(TokenApi));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Token store (Redis) unavailable; answered 503")]
        public static partial void TokenStoreUnavailable(ILogger logger, Exception exception);
    }
}
