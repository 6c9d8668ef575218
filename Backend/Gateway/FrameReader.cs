using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Reads complete text messages with a size limit. Binary frames, invalid UTF-8 and oversize
/// messages map to their close codes (1003, 1007, 1009) before any parsing happens.
/// </summary>
/// <remarks>
/// An idle socket holds no buffer: each read first waits with an empty one (a zero-byte read,
/// as SignalR's WebSocket transport does) and rents the frame buffer only once a message has
/// begun; the buffer goes back to the pool when the next read starts, after the caller is done
/// with the frame it returned. Holding a rented <c>MaxFrameBytes + 1</c> buffer (a 32 KiB array
/// from the pool's buckets) for a socket's whole life was more than half of an idle session's
/// memory (the <c>memory</c> benchmark, 2,000 idle sessions: 61.7 → 28.2 KB of heap each; docs/benchmarks.md).
/// </remarks>
public sealed class FrameReader(WebSocket socket, int maxBytes) : IDisposable
{
    private byte[]? _buffer;

    public async Task<Frame> ReadAsync(CancellationToken cancellationToken)
    {
        Release();
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (first.MessageType == WebSocketMessageType.Close) return Frame.Closed;
        if (first.MessageType == WebSocketMessageType.Binary) return Frame.Reject(CloseCodes.BinaryFrame);
        _buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        var length = 0;
        var endOfMessage = first.EndOfMessage;
        while (!endOfMessage)
        {
            if (length > maxBytes)
            {
                return Frame.Reject(CloseCodes.TooBig);
            }
            var result = await socket.ReceiveAsync(_buffer.AsMemory(length, maxBytes + 1 - length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return Frame.Closed;
            if (result.MessageType == WebSocketMessageType.Binary) return Frame.Reject(CloseCodes.BinaryFrame);
            length += result.Count;
            endOfMessage = result.EndOfMessage;
        }
        if (length > maxBytes) return Frame.Reject(CloseCodes.TooBig);
        var text = _buffer.AsMemory(0, length);
        return Utf8.IsValid(text.Span) ? new Frame(text, null, false) : Frame.Reject(CloseCodes.InvalidUtf8);
    }

    private void Release()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => Release();
}
