using AspireResilience.AuthService.Requests;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace AspireResilience.AuthService.Apis;

/// <summary>
/// Reads an OAuth form body under tight limits. Both endpoints are anonymous, so the body
/// size, field count and field lengths are bounded before anything is buffered.
/// </summary>
internal static class OAuthFormReader
{
    /// <summary>The largest legitimate body (a revoke with a max-length token) fits with room to spare.</summary>
    public const int MaxFormBytes = 8 * 1024;

    private static readonly FormOptions Limits = new()
    {
        BufferBody = false,
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = OAuthRequestParser.MaxRevocableTokenLength,
    };

    // Secrets in a URL end up in proxy logs and browser history (RFC 6749 §3.2, RFC 6750 §5.3).
    private static readonly string[] SecretParameters = ["username", "password", "refresh_token", "token", "access_token"];

    public static async Task<(IFormCollection? Form, OAuthError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsUrlEncodedForm(request.ContentType))
        {
            return (null, OAuthError.Request("Content-Type must be application/x-www-form-urlencoded."));
        }

        if (SecretParameters.Any(request.Query.ContainsKey))
        {
            return (null, OAuthError.Request("Credentials and tokens are accepted in the form body only, never in the URL."));
        }

        if (request.ContentLength > MaxFormBytes)
        {
            return (null, TooLarge);
        }

        // Bounds chunked bodies too, which carry no Content-Length to check up front.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = MaxFormBytes;
        }

        try
        {
            return (await new FormFeature(request, Limits).ReadFormAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return (null, TooLarge);
        }
    }

    public static bool IsUrlEncodedForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static OAuthError TooLarge => OAuthError.Request("The form exceeds the size limits.");
}
