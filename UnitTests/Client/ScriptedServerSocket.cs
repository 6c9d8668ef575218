using System.Net.WebSockets;
using System.Text;

namespace AspireResilience.UnitTests.Client;

/// <summary>
/// A stand-in for the server end of one connection: answers the hello with <paramref name="welcomeJson"/>,
/// sends <paramref name="afterWelcome"/>, then fails the next receive with <paramref name="failure"/>
/// (or, when null, waits until cancelled or aborted).
/// </summary>
internal sealed class ScriptedServerSocket(string welcomeJson, Exception? failure, WebSocketCloseStatus? closeAfterWelcome = null,
    IReadOnlyList<string>? afterWelcome = null) : WebSocket
{
    private int _receives;
    private WebSocketCloseStatus? _closeStatus;
    private readonly CancellationTokenSource _aborted = new();

    public List<string> Sent { get; } = [];
    public override WebSocketCloseStatus? CloseStatus => _closeStatus;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => WebSocketState.Open;
    public override string? SubProtocol => null;

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var receive = Interlocked.Increment(ref _receives);
        var frames = afterWelcome ?? [];
        if (receive <= 1 + frames.Count)
        {
            var bytes = Encoding.UTF8.GetBytes(receive == 1 ? welcomeJson : frames[receive - 2]);
            bytes.CopyTo(buffer.AsSpan());
            return new WebSocketReceiveResult(bytes.Length, WebSocketMessageType.Text, endOfMessage: true);
        }
        if (failure is not null) throw failure;
        if (closeAfterWelcome is { } status)
        {
            _closeStatus = status;
            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, endOfMessage: true, status, "");
        }
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborted.Token);
        await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_aborted.IsCancellationRequested) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        throw new OperationCanceledException(cancellationToken);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        lock (Sent) Sent.Add(Encoding.UTF8.GetString(buffer));
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Abort() => _aborted.Cancel();
    public override void Dispose() { }
}
