using System.IO.Pipelines;
using System.Net.WebSockets;

namespace AspireResilience.UnitTests.Backend;

/// <summary>A server and a client <see cref="WebSocket"/> joined by two in-memory pipes: the real
/// framing code of the framework, without a socket or Kestrel.</summary>
internal sealed class InMemoryWebSocketPair : IDisposable
{
    public InMemoryWebSocketPair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        Server = WebSocket.CreateFromStream(new DuplexPipeStream(toServer.Reader, toClient.Writer),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        Client = WebSocket.CreateFromStream(new DuplexPipeStream(toClient.Reader, toServer.Writer),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }

    private sealed class DuplexPipeStream(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream _input = reader.AsStream();
        private readonly Stream _output = writer.AsStream();

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            _output.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _output.WriteAsync(buffer, offset, count, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);
        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);
        public override void Flush() => _output.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                reader.Complete();
                writer.Complete();
            }
            base.Dispose(disposing);
        }
    }
}
