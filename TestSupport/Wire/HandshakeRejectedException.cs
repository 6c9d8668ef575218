using System.Net;
using System.Net.WebSockets;

namespace AspireResilience.TestSupport.Wire;

/// <summary>The handshake was answered with an HTTP status other than 101.</summary>
public sealed class HandshakeRejectedException(HttpStatusCode statusCode, WebSocketException inner)
    : Exception($"WebSocket handshake rejected with HTTP {(int)statusCode}", inner)
{
    /// <summary>The HTTP status of the handshake response.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;
}
