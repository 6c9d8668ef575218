using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace AspireResilience.TestSupport.Wire;

/// <summary>
/// A WebSocket spoken by hand over TCP, for frames <see cref="ClientWebSocket"/> refuses to
/// build (reserved bits and opcodes, fragmented or oversized control frames, bad close codes).
/// </summary>
public sealed class RawFrameClient : IDisposable
{
    private readonly TcpClient _tcp;

    private NetworkStream Stream => _tcp.GetStream();

    private RawFrameClient(TcpClient tcp) => _tcp = tcp;

    /// <summary>Connects and performs the HTTP/1.1 upgrade (RFC 6455 §4.1); throws unless the answer is 101.</summary>
    public static async Task<RawFrameClient> ConnectAsync(Uri endpoint)
    {
        var client = new RawFrameClient(new TcpClient { NoDelay = true });
        await client._tcp.ConnectAsync(endpoint.Host, endpoint.Port, Timeouts.Token());
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {endpoint.PathAndQuery} HTTP/1.1\r\nHost: {endpoint.Authority}\r\nUpgrade: websocket\r\n"
            + $"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await client.Stream.WriteAsync(Encoding.ASCII.GetBytes(request), Timeouts.Token());
        var response = "";
        for (var one = new byte[1]; !response.EndsWith("\r\n\r\n", StringComparison.Ordinal); response += (char)one[0])
        {
            await client.Stream.ReadExactlyAsync(one, Timeouts.Token()); // byte by byte: no frame bytes are swallowed
        }
        if (response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal)) return client;
        client.Dispose();
        throw new InvalidOperationException($"upgrade refused: {response}");
    }

    /// <summary>Writes one masked frame (payload below 64 KiB): <paramref name="firstByte"/> is FIN | RSV1-3 | opcode, as on the wire.</summary>
    public async Task SendFrameAsync(byte firstByte, ReadOnlyMemory<byte> payload)
    {
        var header = new List<byte> { firstByte };
        if (payload.Length < 126) header.Add((byte)(0x80 | payload.Length));
        else { header.Add(0x80 | 126); header.Add((byte)(payload.Length >> 8)); header.Add((byte)payload.Length); }
        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        var masked = payload.ToArray();
        for (var i = 0; i < masked.Length; i++) masked[i] ^= mask[i % 4];
        await Stream.WriteAsync((byte[])[.. header, .. masked], Timeouts.Token());
    }

    /// <summary>Reads the next server frame (servers do not mask): its opcode and payload.</summary>
    public async Task<(int Opcode, byte[] Payload)> ReceiveFrameAsync()
    {
        var cancel = Timeouts.Token();
        var head = new byte[2];
        await Stream.ReadExactlyAsync(head, cancel);
        long length = head[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            await Stream.ReadExactlyAsync(extended, cancel);
            length = extended.Aggregate(0L, (value, b) => (value << 8) | b);
        }
        var payload = new byte[length];
        await Stream.ReadExactlyAsync(payload, cancel);
        return (head[0] & 0x0F, payload);
    }

    /// <summary>Reads frames (skipping data and pings) until the server's close frame; returns its status code.</summary>
    public async Task<int> ReceiveCloseAsync()
    {
        while (true)
        {
            var (opcode, payload) = await ReceiveFrameAsync();
            if (opcode == 0x8) return payload.Length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
        }
    }

    /// <summary>Drops the TCP connection.</summary>
    public void Dispose() => _tcp.Dispose();
}
