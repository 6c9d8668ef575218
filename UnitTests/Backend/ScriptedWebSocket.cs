using System.Net.WebSockets;

namespace AspireResilience.UnitTests.Backend;

/// <summary>A receive-only <see cref="WebSocket"/> that hands out scripted fragments, for shapes
/// the framework's own socket refuses to deliver (e.g. invalid UTF-8 in a text message).</summary>
internal sealed class ScriptedWebSocket(params (byte[] Bytes, WebSocketMessageType Type, bool EndOfMessage)[] fragments) : WebSocket
{
    private readonly Queue<(byte[] Bytes, WebSocketMessageType Type, bool EndOfMessage)> _fragments = new(fragments);

    public override WebSocketCloseStatus? CloseStatus => null;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => WebSocketState.Open;
    public override string? SubProtocol => null;

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        // A zero-byte read waits for a message as the framework's socket does: it reports the next
        // fragment's type without taking any of its bytes (all of an empty one).
        if (buffer.Count == 0)
        {
            var (next, nextType, nextEnd) = _fragments.Peek();
            if (next.Length == 0) _fragments.Dequeue();
            return Task.FromResult(new WebSocketReceiveResult(0, nextType, nextEnd && next.Length == 0));
        }
        var (bytes, type, end) = _fragments.Dequeue();
        if (bytes.Length > buffer.Count) throw new InvalidOperationException("Script a fragment no larger than the reader's buffer.");
        bytes.CopyTo(buffer.AsSpan());
        return Task.FromResult(new WebSocketReceiveResult(bytes.Length, type, end));
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Abort() { }
    public override void Dispose() { }
}
