using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;

namespace AspireResilience.Client;

/// <summary>
/// The server answered the WebSocket upgrade with 429 (too many handshakes from this address) or
/// 503 (the process holds its most sockets) instead of a socket. Its <c>Retry-After</c>, when
/// present, is the least delay before the next attempt.
/// </summary>
/// <remarks>An <see cref="HttpRequestException"/> (whose <see cref="HttpRequestException.StatusCode"/> is the
/// refusal's) around the <see cref="WebSocketException"/> the upgrade failed with.</remarks>
public sealed class HandshakeRefusedException(HttpStatusCode statusCode, RetryConditionHeaderValue? retryAfter, WebSocketException innerException)
    : HttpRequestException($"The server refused the WebSocket upgrade with {(int)statusCode}{(retryAfter is null ? "" : $", Retry-After {retryAfter}")}.", innerException, statusCode)
{
    /// <summary>The <c>Retry-After</c> header as sent (seconds or a date), or null.</summary>
    public RetryConditionHeaderValue? RetryAfterHeader { get; } = retryAfter;

    /// <summary>The least delay the server asked for, as of <paramref name="now"/>; null when it named none.</summary>
    public TimeSpan? RetryAfter(DateTimeOffset now) => RetryAfterHeader switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    internal static bool IsRefusal(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    internal static RetryConditionHeaderValue? ParseRetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers) =>
        headers is not null
        && headers.TryGetValue("Retry-After", out var values)
        && RetryConditionHeaderValue.TryParse(values.FirstOrDefault(), out var parsed)
            ? parsed
            : null;
}
