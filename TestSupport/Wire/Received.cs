using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.TestSupport.Wire;

/// <summary>What <see cref="RawClient.ReceiveAsync"/> got: a server message (and its raw JSON), or the close.</summary>
public sealed record Received(ServerMessage? Message, string? Json, WebSocketCloseStatus? CloseStatus, string? CloseDescription)
{
    /// <summary>True when the server closed the connection.</summary>
    public bool IsClose => CloseStatus is not null;
}
