using System.Buffers;
using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

/// <summary>One socket of a session: serialized sends, whole-message receives.</summary>
internal sealed class SessionLink(WebSocket socket) : IDisposable
{
    private const int MaxMessageBytes = 1024 * 1024;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public CancellationTokenSource Lifetime { get; } = new();
    public WebSocket Socket => socket;

    public async Task SendAsync(ClientMessage message, CancellationToken cancellationToken)
    {
        var bytes = ProtocolJson.Serialize(message);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Aborted(ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <returns>The next server message, or null when the server closed (see <see cref="WebSocket.CloseStatus"/>).</returns>
    public async Task<ServerMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(_buffer.GetMemory(4096), cancellationToken);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Aborted(ex);
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None)
                        .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                return null;
            }
            _buffer.Advance(result.Count);
            if (_buffer.WrittenCount > MaxMessageBytes)
            {
                throw new WebSocketException(WebSocketError.InvalidMessageType, "Server message too large.");
            }
            if (result.EndOfMessage)
            {
                return ProtocolJson.DeserializeServer(_buffer.WrittenSpan);
            }
        }
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Abort() => socket.Abort();

    // ManagedWebSocket reports a send or receive cut short by Abort() (a dead link, a network
    // switch, /drop) as a cancellation nobody asked for; to every caller it is a lost link like any other.
    private static WebSocketException Aborted(OperationCanceledException ex) =>
        new(WebSocketError.ConnectionClosedPrematurely, "The link was aborted.", ex);

    public void Dispose()
    {
        Lifetime.Cancel();
        Lifetime.Dispose();
        socket.Dispose();
        _sendLock.Dispose();
    }
}
