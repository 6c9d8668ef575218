using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>What <see cref="RawClient.ReceiveAsync"/> got: a server message (and its raw JSON), or the close.</summary>
public sealed record Received(ServerMessage? Message, string? Json, WebSocketCloseStatus? CloseStatus, string? CloseDescription)
{
    /// <summary>True when the server closed the connection.</summary>
    public bool IsClose => CloseStatus is not null;
}

/// <summary>The handshake was answered with an HTTP status other than 101.</summary>
public sealed class HandshakeRejectedException(HttpStatusCode statusCode, WebSocketException inner)
    : Exception($"WebSocket handshake rejected with HTTP {(int)statusCode}", inner)
{
    /// <summary>The HTTP status of the handshake response.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;
}

/// <summary>
/// A bare protocol-v1 client over <see cref="ClientWebSocket"/>: sends exactly the frames a test
/// builds (valid or not) and reports every server message and the close, nothing resilient.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private RawClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Opens a socket to <paramref name="endpoint"/>, optionally as a browser would with an <c>Origin</c> header.</summary>
    /// <exception cref="HandshakeRejectedException">The server refused the upgrade.</exception>
    public static async Task<RawClient> ConnectAsync(Uri endpoint, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        try
        {
            await socket.ConnectAsync(endpoint, Timeouts.Token());
            return new RawClient(socket);
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new HandshakeRejectedException(status, ex);
        }
    }

    /// <summary>A fresh access token for <paramref name="env"/>'s next unused user.</summary>
    public static async Task<string> TokenAsync(TestEnvironment env)
    {
        var (user, password) = env.Users.Next();
        return await new UserTokens(env.Tokens, user, password).GetAsync(false, Timeouts.Token());
    }

    /// <summary>Sends one text frame holding <paramref name="json"/> as UTF-8.</summary>
    public Task SendTextAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    /// <summary>Sends <paramref name="payload"/> as one whole message of <paramref name="type"/>; the bytes are not checked.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type) =>
        await _socket.SendAsync(payload, type, endOfMessage: true, Timeouts.Token());

    /// <summary>Sends <c>hello</c> with <paramref name="token"/> and returns the <c>welcome</c>; fails on anything else.</summary>
    public async Task<WelcomeMessage> HelloAsync(string token)
    {
        await SendAsync(ProtocolJson.Serialize(new HelloMessage(token)), WebSocketMessageType.Text);
        var received = await ReceiveAsync();
        return received.Message as WelcomeMessage
            ?? throw new InvalidOperationException($"expected welcome, got {received.Json ?? $"close {received.CloseStatus}: {received.CloseDescription}"}");
    }

    /// <summary>The next server message or the close, within <paramref name="timeout"/> (default <see cref="Timeouts.Default"/>).</summary>
    public async Task<Received> ReceiveAsync(TimeSpan? timeout = null)
    {
        var cancel = Timeouts.Token(timeout);
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancel);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new Received(null, null, result.CloseStatus, result.CloseStatusDescription);
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            if (result.MessageType != WebSocketMessageType.Text) throw new InvalidDataException("the server sent a binary frame");
            var bytes = message.ToArray();
            return new Received(ProtocolJson.DeserializeServer(bytes), Encoding.UTF8.GetString(bytes), null, null);
        }
    }

    /// <summary>Reads until the server closes; returns the close and the messages that came before it.</summary>
    public async Task<(Received Close, List<ServerMessage> Before)> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        var before = new List<ServerMessage>();
        for (var r = await ReceiveAsync(timeout); ; r = await ReceiveAsync(timeout))
        {
            if (r.IsClose) return (r, before);
            before.Add(r.Message!);
        }
    }

    /// <summary>Completes the close handshake if the server started it (or closes normally), then releases the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", Timeouts.Token(TimeSpan.FromSeconds(2)));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { } // the server already went away
        _socket.Dispose();
    }
}

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
