using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Backend;

/// <summary>The client end of an in-memory socket pair, speaking protocol frames; it answers a close as a well-behaved client does.</summary>
internal sealed class TestClientSocket(WebSocket socket)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Task SendAsync(ClientMessage message) =>
        socket.SendAsync(ProtocolJson.Serialize(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);

    public Task SendTextAsync(string json) =>
        socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);

    /// <returns>The next server message, or null when the server closed (see <see cref="CloseCode"/>).</returns>
    public async Task<ServerMessage?> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask().WaitAsync(Timeout);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close, but do not wait: a client socket then waits (up to 1 s) for the
                // server to drop the transport, which an in-memory pipe only does at disposal.
                _ = socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return null;
            }
            length += result.Count;
            if (result.EndOfMessage) return ProtocolJson.DeserializeServer(buffer.AsSpan(0, length));
        }
    }

    public async Task<T> ReceiveAsync<T>() where T : ServerMessage =>
        await ReceiveAsync() as T ?? throw new AssertFailedException($"Expected a {typeof(T).Name}; the server closed with {CloseCode}.");

    /// <summary>Reads until the server closes and returns its close code.</summary>
    public async Task<int> ReceiveCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }
        return CloseCode ?? 0;
    }

    public int? CloseCode => (int?)socket.CloseStatus;

    /// <summary>Hangs up normally; the server answers the close.</summary>
    public Task CloseAsync() =>
        socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(Timeout);
}
