using System.Net.WebSockets;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Creates a <see cref="GatewayConnection"/> per accepted socket. The connection's constructor
/// lists what it uses; this only supplies the per-socket arguments and resolves the rest.
/// </summary>
public sealed class GatewayConnectionFactory(IServiceProvider services)
{
    private static readonly ObjectFactory<GatewayConnection> Factory =
        ActivatorUtilities.CreateFactory<GatewayConnection>([typeof(WebSocket), typeof(CancellationToken)]);

    public GatewayConnection Create(WebSocket socket, CancellationToken requestAborted) =>
        Factory(services, [socket, requestAborted]);
}
