using AspireResilience.AuthService.Requests;
using AspireResilience.AuthService.Tokens;

namespace AspireResilience.AuthService.Apis;

/// <summary>Responses of the OAuth endpoints; none of them may be cached (RFC 6749 §5.1).</summary>
internal static class OAuthResults
{
    public static IResult Token(HttpContext context, TokenResponse response)
    {
        NoStore(context);
        return Results.Json(response);
    }

    public static IResult Error(HttpContext context, OAuthError error)
    {
        NoStore(context);
        return Results.Json(error, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>Redis is unreachable: a retryable 503 rather than a 500, so clients back off and retry.</summary>
    public static IResult Unavailable(HttpContext context)
    {
        NoStore(context);
        context.Response.Headers.RetryAfter = "1";
        return Results.Json(
            new OAuthError(OAuthError.TemporarilyUnavailable, "The token store is unavailable; retry shortly."),
            statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public static IResult Revoked(HttpContext context)
    {
        NoStore(context);
        return Results.Ok();
    }

    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }
}
