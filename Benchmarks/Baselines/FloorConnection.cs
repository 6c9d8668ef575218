using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.Benchmarks.Baselines;

/// <summary>A client of the floor: connect, <c>hello</c> → <c>welcome</c>, then answers read off the socket.</summary>
internal sealed class FloorConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private long _lastSeq;

    private FloorConnection()
    {
    }

    /// <summary>Connects and completes the handshake.</summary>
    public static async Task<FloorConnection> ConnectAsync(Uri floor, CancellationToken cancellationToken)
    {
        var connection = new FloorConnection();
        try
        {
            await connection._socket.ConnectAsync(floor, cancellationToken);
            await connection.SendAsync(AnswerFrames.Hello(), cancellationToken);
            if (await connection.ReceiveAsync(cancellationToken) is not WelcomeMessage)
            {
                throw new InvalidOperationException("the floor did not answer hello with welcome");
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Asks for an answer of <paramref name="chunks"/> chunks and reads it, checking each seq follows the last; returns the events read.</summary>
    public async Task<int> StreamAsync(string runId, int chunks, CancellationToken cancellationToken)
    {
        await SendAsync(new PromptMessage(runId, chunks.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        var events = 0;
        while (true)
        {
            var e = await ReceiveAsync(cancellationToken) as EventMessage ?? throw new InvalidOperationException("the floor sent something other than an event");
            if (e.Seq != _lastSeq + 1) throw new InvalidOperationException($"floor: seq {e.Seq} after {_lastSeq}");
            _lastSeq = e.Seq;
            events++;
            if (e.Kind == EventKinds.StreamEnd) return events;
        }
    }

    private Task SendAsync(ClientMessage message, CancellationToken cancellationToken) =>
        _socket.SendAsync(ProtocolJson.Serialize(message), WebSocketMessageType.Text, true, cancellationToken);

    private async Task<ServerMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("the floor closed");
            length += result.Count;
            if (result.EndOfMessage) return ProtocolJson.DeserializeServer(_buffer.AsSpan(0, length));
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
