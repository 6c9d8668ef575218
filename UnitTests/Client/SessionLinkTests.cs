using System.Net.WebSockets;
using AspireResilience.Client;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class SessionLinkTests
{
    [TestMethod]
    public async Task ASendCutShortByAnAbortIsALostLinkNotACancellation()
    {
        // The real ManagedWebSocket over a stream whose write is in flight when the link is aborted:
        // the soak caught this race (a prompt sent while the heartbeat aborted a silent link).
        var stream = new StalledWriteStream();
        using var link = new SessionLink(WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false }));

        var send = link.SendAsync(new PromptMessage("p1", "hello"), CancellationToken.None);
        await stream.WriteStarted.WaitAsync(TimeSpan.FromSeconds(10));
        link.Abort();

        var lost = await Assert.ThrowsExactlyAsync<WebSocketException>(() => send);
        Assert.AreEqual(WebSocketError.ConnectionClosedPrematurely, lost.WebSocketErrorCode);
    }

    [TestMethod]
    public async Task AReceiveCutShortByAnAbortIsALostLinkNotACancellation()
    {
        var stream = new StalledWriteStream();
        using var link = new SessionLink(WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false }));

        var receive = link.ReceiveAsync(CancellationToken.None);
        link.Abort();

        var lost = await Assert.ThrowsExactlyAsync<WebSocketException>(() => receive);
        Assert.AreEqual(WebSocketError.ConnectionClosedPrematurely, lost.WebSocketErrorCode);
    }

    [TestMethod]
    public async Task ASendTheCallerCancelsIsStillACancellation()
    {
        var stream = new StalledWriteStream();
        using var link = new SessionLink(WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false }));
        using var cancel = new CancellationTokenSource();

        var send = link.SendAsync(new PromptMessage("p1", "hello"), cancel.Token);
        await stream.WriteStarted.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => send);
    }

    /// <summary>Writes hang until cancelled or the stream is disposed, as a socket's do when the peer stops reading.</summary>
    private sealed class StalledWriteStream : Stream
    {
        private readonly TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _disposed = new();

        public Task WriteStarted => _writeStarted.Task;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _writeStarted.TrySetResult();
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            throw new IOException("Cannot access a closed stream.");
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            return 0;
        }

        protected override void Dispose(bool disposing)
        {
            _disposed.Cancel();
            base.Dispose(disposing);
        }

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
