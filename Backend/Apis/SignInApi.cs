using System.Net.Http.Headers;
using AspireResilience.Backend.SignIn;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Apis;

/// <summary>
/// The chat page's token endpoint on its own origin: the form goes unchanged to the AuthService's
/// <c>/connect/token</c> and its answer comes back unchanged. Same-origin, so the page works from
/// every address the Backend is reached at (its port, DCP's proxy, ChaosProxy) without a CORS list
/// on the AuthService that would have to know them all. Bodies hold passwords and tokens: they are
/// never logged, and secrets in the query string are refused as the AuthService refuses them.
/// </summary>
public static class SignInApi
{
    public const string Path = "/auth/token";
    public const string HttpClientName = "signin";

    public static IEndpointRouteBuilder MapSignInApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext context, IHttpClientFactory clients, IOptions<SignInOptions> options) =>
        {
            var request = context.Request;
            if (request.QueryString.HasValue || !request.HasFormContentType)
            {
                return Results.Json(new { error = "invalid_request", error_description = "a form body, no query string" }, statusCode: 400);
            }
            if (request.ContentLength is null or < 0 || request.ContentLength > options.Value.MaxBodyBytes)
            {
                return Results.Json(new { error = "invalid_request", error_description = "body too large" }, statusCode: 400);
            }
            var body = new byte[request.ContentLength.Value];
            await request.Body.ReadExactlyAsync(body, context.RequestAborted);
            using var forward = new HttpRequestMessage(HttpMethod.Post, options.Value.TokenEndpoint) { Content = new ByteArrayContent(body) };
            forward.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType!);
            using var answer = await clients.CreateClient(HttpClientName).SendAsync(forward, context.RequestAborted);
            var bytes = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted);
            // Tokens must not be cached anywhere on the way (RFC 6749 §5.1).
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Pragma = "no-cache";
            if (answer.Headers.RetryAfter is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter.ToString();
            context.Response.StatusCode = (int)answer.StatusCode;
            return Results.Bytes(bytes, answer.Content.Headers.ContentType?.ToString() ?? "application/json");
        });
        return app;
    }
}
