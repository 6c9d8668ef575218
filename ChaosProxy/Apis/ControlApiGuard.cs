using System.Security.Cryptography;
using System.Text;
using AspireResilience.ChaosProxy.Apis.Contracts;
using AspireResilience.ChaosProxy.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AspireResilience.ChaosProxy.Apis;

/// <summary>
/// Who may drive the control API. A proxy that can be pointed anywhere is a relay, so:
/// no browser (a request carrying <c>Origin</c> is a page's script: 403, whatever its site — a
/// <c>text/plain</c> POST needs no CORS preflight, so CORS alone would not stop one), only the
/// holder of the bearer token the AppHost generated (401), and a body only as
/// <c>application/json</c> (415), which a page cannot send cross-site without a preflight.
/// </summary>
internal sealed class ControlApiGuard(IOptions<ChaosProxyOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.Headers.ContainsKey(HeaderNames.Origin))
        {
            return Refuse(StatusCodes.Status403Forbidden, "requests from browsers (with an Origin header) are refused");
        }

        if (!HasToken(request, options.Value.ApiToken))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Refuse(StatusCodes.Status401Unauthorized, "a bearer token (ChaosProxy:ApiToken) is required");
        }

        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null;
        if (hasBody && !request.HasJsonContentType())
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "the body must be application/json");
        }

        return await next(context);
    }

    /// <summary>Constant-time: both sides are hashed first, so neither content nor length leaks through timing.</summary>
    internal static bool HasToken(HttpRequest request, string? expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (string.IsNullOrEmpty(expected) || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    private static IResult Refuse(int statusCode, string message) =>
        TypedResults.Json(new ErrorResponse(message), statusCode: statusCode);
}
