using System.Diagnostics;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite07_Heartbeat;

/// <summary>
/// A protocol client on raw frames, so the server's WebSocket pings are visible: it answers each
/// with a pong (as any client's WebSocket stack would) and notes when it arrived.
/// </summary>
public sealed class HeartbeatFrameClient : IDisposable
{
    private const byte Text = 0x81, Pong = 0x8A;
    private const int TextOpcode = 0x1, CloseOpcode = 0x8, PingOpcode = 0x9;

    private readonly RawFrameClient _frames;
    private readonly List<long> _pings = [];

    private HeartbeatFrameClient(RawFrameClient frames) => _frames = frames;

    public static async Task<HeartbeatFrameClient> ConnectAsync(Uri endpoint) => new(await RawFrameClient.ConnectAsync(endpoint));

    /// <summary>When each server ping arrived (<see cref="Stopwatch"/> timestamps), oldest first.</summary>
    public IReadOnlyList<long> Pings => _pings;

    public Task SendAsync(ClientMessage message) => _frames.SendFrameAsync(Text, ProtocolJson.Serialize(message));

    /// <summary>The next server message, answering pings on the way; fails on a close.</summary>
    public async Task<ServerMessage> ReceiveAsync()
    {
        while (true)
        {
            if (await ReadFrameAsync() is { } message) return message;
        }
    }

    /// <summary>
    /// Reads (and answers) until <paramref name="count"/> more pings have arrived, failing on any
    /// event meanwhile (the session is idle); returns the <paramref name="count"/> − 1 gaps between them.
    /// </summary>
    public async Task<TimeSpan[]> PingGapsAsync(int count)
    {
        var from = _pings.Count;
        while (_pings.Count < from + count)
        {
            Assert.IsNotInstanceOfType<EventMessage>(await ReadFrameAsync(), "an idle session receives no events");
        }
        var pings = _pings.Skip(from).ToArray();
        return [.. pings.Zip(pings.Skip(1)).Select(p => Stopwatch.GetElapsedTime(p.First, p.Second))];
    }

    /// <returns>The server message in the frame, or null for a ping (answered).</returns>
    private async Task<ServerMessage?> ReadFrameAsync()
    {
        var (opcode, payload) = await _frames.ReceiveFrameAsync();
        switch (opcode)
        {
            case PingOpcode:
                _pings.Add(Stopwatch.GetTimestamp());
                await _frames.SendFrameAsync(Pong, payload);
                return null;
            case TextOpcode:
                return ProtocolJson.DeserializeServer(payload);
            case CloseOpcode:
                throw new InvalidOperationException($"the server closed: {(payload.Length >= 2 ? (payload[0] << 8) | payload[1] : 1005)}");
            default:
                throw new InvalidOperationException($"unexpected opcode {opcode}");
        }
    }

    public void Dispose() => _frames.Dispose();
}
