using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Reads complete text messages with a size limit. Binary frames, invalid UTF-8 and oversize
/// messages map to their close codes (1003, 1007, 1009) before any parsing happens.
/// </summary>
public sealed class FrameReader(WebSocket socket, int maxBytes) : IDisposable
{
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);

    public async Task<Frame> ReadAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length > maxBytes)
            {
                return Frame.Reject(CloseCodes.TooBig);
            }
            var result = await socket.ReceiveAsync(_buffer.AsMemory(length, maxBytes + 1 - length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return Frame.Closed;
            if (result.MessageType == WebSocketMessageType.Binary) return Frame.Reject(CloseCodes.BinaryFrame);
            length += result.Count;
            if (result.EndOfMessage) break;
        }
        if (length > maxBytes) return Frame.Reject(CloseCodes.TooBig);
        var text = _buffer.AsMemory(0, length);
        return Utf8.IsValid(text.Span) ? new Frame(text, null, false) : Frame.Reject(CloseCodes.InvalidUtf8);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
