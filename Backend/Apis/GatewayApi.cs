using AspireResilience.Backend.Gateway;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Apis;

public static class GatewayApi
{
    /// <summary>Maps the WebSocket endpoint <c>/ws</c> (protocol v1, docs/protocol.md).</summary>
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        app.Map("/ws", async (HttpContext context, GatewayConnectionFactory connections, IOptions<GatewayOptions> options) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest("WebSocket upgrade required.");
            }
            // Browsers always send Origin; only listed ones may open a socket. Other clients send none.
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0 && !options.Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = options.Value.HeartbeatInterval,
                KeepAliveTimeout = options.Value.HeartbeatTimeout,
            });
            using var connection = connections.Create(socket, context.RequestAborted);
            await connection.RunAsync();
            return Results.Empty;
        });
        return app;
    }
}
