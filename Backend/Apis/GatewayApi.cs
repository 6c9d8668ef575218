using AspireResilience.Backend.Gateway;
using AspireResilience.Backend.Limits;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Apis;

public static class GatewayApi
{
    /// <summary>The WebSocket endpoint. Its upgrade request makes no HTTP span (it would last the whole connection); the connection is traced as <c>ws.connection</c>.</summary>
    public const string Path = "/ws";

    /// <summary>Maps the WebSocket endpoint <see cref="Path"/> (protocol v1, docs/protocol.md).</summary>
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        app.Map(Path, async (HttpContext context, GatewayConnectionFactory connections, IOptions<GatewayOptions> options) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest("WebSocket upgrade required.");
            }
            // Browsers always send Origin: only listed ones and the page's own may open a socket
            // (another site's script could otherwise drive a user's socket). Other clients send none.
            var origin = context.Request.Headers.Origin.ToString();
            if (!OriginPolicy.IsAllowed(origin, context.Request.Scheme, context.Request.Host.Value ?? "", options.Value.AllowedOrigins, options.Value.AllowSameOrigin))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            using var socket = await UpgradeLimit.AcceptOrRefuseAsync(context, new WebSocketAcceptContext
            {
                KeepAliveInterval = options.Value.HeartbeatInterval,
                KeepAliveTimeout = options.Value.HeartbeatTimeout,
            });
            if (socket is null) return Results.Empty; // 503: the process holds its most sockets
            using var connection = connections.Create(socket, context.RequestAborted);
            connection.Trace.PeerAddress = context.Connection.RemoteIpAddress?.ToString();
            await connection.RunAsync();
            return Results.Empty;
        });
        return app;
    }
}
