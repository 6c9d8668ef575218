using System.Net.WebSockets;
using System.Text;
using AspireResilience.Protocol;

namespace AspireResilience.Benchmarks.Measures;

/// <summary>
/// The lightest client a session can have: one socket, <c>hello</c> → <c>welcome</c>, then a
/// read always pending (so the server's pings are answered) and nothing else. The Backend's cost
/// per such session is what "memory per idle session" means.
/// </summary>
internal sealed class IdleSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private Task _reading = Task.CompletedTask;

    public static async Task<IdleSocket> ConnectAsync(Uri endpoint, string token, CancellationToken cancellationToken)
    {
        var idle = new IdleSocket();
        try
        {
            await idle._socket.ConnectAsync(endpoint, cancellationToken);
            await idle._socket.SendAsync(ProtocolJson.Serialize(new HelloMessage(token)), WebSocketMessageType.Text, true, cancellationToken);
            var buffer = new byte[4096];
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await idle._socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (ProtocolJson.DeserializeServer(buffer.AsSpan(0, length)) is not WelcomeMessage)
            {
                throw new InvalidOperationException("the Backend did not welcome an idle session: " + Encoding.UTF8.GetString(buffer, 0, length));
            }
            idle._reading = idle.ReadUntilClosedAsync();
            return idle;
        }
        catch
        {
            await idle.DisposeAsync();
            throw;
        }
    }

    private async Task ReadUntilClosedAsync()
    {
        var buffer = new byte[1024];
        try
        {
            while ((await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (WebSocketException)
        {
            // Disposed or dropped: the session is over either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }
}
