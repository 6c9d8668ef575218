using System.Net;
using System.Net.WebSockets;
using System.Text;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Auth;
using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Wire;

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

    /// <summary>Drops the socket without a close frame, as a failed network would.</summary>
    public void Abort() => _socket.Abort();

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
