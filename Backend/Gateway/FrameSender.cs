using System.Net.WebSockets;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// The only writer of a socket: WebSocket sends must not overlap, and the close frame must not
/// be interleaved with data. The first close decision wins; later ones are ignored.
/// </summary>
public sealed class FrameSender(WebSocket socket) : IDisposable
{
    private static readonly TimeSpan CloseSendTimeout = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _closeCode;

    /// <summary>The close code this side chose, or 0.</summary>
    public int CloseCode => Volatile.Read(ref _closeCode);

    public async Task SendAsync(ServerMessage message, CancellationToken cancellationToken)
    {
        var bytes = ProtocolJson.Serialize(message);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (CloseCode != 0 || socket.State != WebSocketState.Open) return;
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <returns>true if this call decided the close.</returns>
    public async Task<bool> CloseAsync(int code, string reason)
    {
        if (Interlocked.CompareExchange(ref _closeCode, code, 0) != 0) return false;
        BackendTelemetry.Closes.Add(1, new KeyValuePair<string, object?>("code", code));
        using var timeout = new CancellationTokenSource(CloseSendTimeout);
        try
        {
            await _lock.WaitAsync(timeout.Token);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
                }
            }
            finally
            {
                _lock.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The peer is gone or stuck; the connection is torn down by its owner either way.
            socket.Abort();
        }
        return true;
    }

    public void Dispose() => _lock.Dispose();
}
