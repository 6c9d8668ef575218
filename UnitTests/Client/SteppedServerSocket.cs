using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace AspireResilience.UnitTests.Client;

/// <summary>
/// A stand-in for the server end of one connection whose frames the test releases one at a time
/// with <see cref="Push"/> (the welcome first), so it can order them against what the client sends.
/// </summary>
internal sealed class SteppedServerSocket : WebSocket
{
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _aborted = new();

    public override WebSocketCloseStatus? CloseStatus => null;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => WebSocketState.Open;
    public override string? SubProtocol => null;

    public void Push(string json) => _frames.Writer.TryWrite(json);

    /// <summary>The next frame the client sent whose JSON contains <paramref name="fragment"/>; other frames are skipped.</summary>
    public async Task<string> NextSentAsync(string fragment, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await _sent.Reader.ReadAsync(cancellationToken);
            if (frame.Contains(fragment, StringComparison.Ordinal)) return frame;
        }
    }

    /// <summary>Every frame the client has sent and no <see cref="NextSentAsync"/> has read yet.</summary>
    public IReadOnlyList<string> DrainSent()
    {
        var sent = new List<string>();
        while (_sent.Reader.TryRead(out var frame)) sent.Add(frame);
        return sent;
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborted.Token);
        try
        {
            var bytes = Encoding.UTF8.GetBytes(await _frames.Reader.ReadAsync(either.Token));
            bytes.CopyTo(buffer.AsSpan());
            return new WebSocketReceiveResult(bytes.Length, WebSocketMessageType.Text, endOfMessage: true);
        }
        catch (OperationCanceledException) when (_aborted.IsCancellationRequested)
        {
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        _sent.Writer.TryWrite(Encoding.UTF8.GetString(buffer));
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Abort() => _aborted.Cancel();
    public override void Dispose() { }
}
