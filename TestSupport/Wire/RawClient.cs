using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using AspireResilience.Client;
using AspireResilience.Client.Tokens;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Sessions;

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
    /// <param name="endpoint">The Backend's WebSocket endpoint.</param>
    /// <param name="origin">The <c>Origin</c> header, if any.</param>
    /// <param name="localAddress">The source address (and family) to connect from; by default the OS's choice.</param>
    /// <param name="receiveBufferBytes">A small TCP receive buffer makes a client that stops reading push back on the server soon.</param>
    /// <exception cref="HandshakeRejectedException">The server refused the upgrade.</exception>
    public static async Task<RawClient> ConnectAsync(Uri endpoint, string? origin = null, IPAddress? localAddress = null, int? receiveBufferBytes = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        Action<Socket>? configure = receiveBufferBytes is { } bytes ? s => s.ReceiveBufferSize = bytes : null;
        try
        {
            await WebSocketConnector.ConnectAsync(socket, new NetworkPath(endpoint, localAddress), configure, Timeouts.Token());
            return new RawClient(socket);
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new HandshakeRejectedException(status, ex);
        }
    }

    /// <summary>
    /// Opens a session at <paramref name="endpoint"/>, sends <paramref name="prompts"/> and leaves
    /// politely: the server has taken every prompt before it answers the close, so their runs go
    /// on with the client away. Returns the welcome, to resume with later.
    /// </summary>
    public static async Task<WelcomeMessage> PromptAndLeaveAsync(Uri endpoint, string token, params PromptMessage[] prompts)
    {
        await using var client = await ConnectAsync(endpoint);
        var welcome = await client.HelloAsync(token);
        foreach (var prompt in prompts) await client.SendAsync(prompt);
        return welcome;
    }

    /// <summary>A fresh access token for <paramref name="env"/>'s next unused user.</summary>
    public static async Task<string> TokenAsync(TestEnvironment env) => (await UserTokenAsync(env)).Token;

    /// <summary>The next unused user of <paramref name="env"/> (the token's <c>sub</c>) and a fresh access token of theirs.</summary>
    public static async Task<(string User, string Token)> UserTokenAsync(TestEnvironment env)
    {
        var (user, password) = env.Users.Next();
        return (user, await new UserTokens(env.Tokens, user, password).GetAsync(false, Timeouts.Token()));
    }

    /// <summary>Sends one text frame holding <paramref name="json"/> as UTF-8.</summary>
    public Task SendTextAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    /// <summary>Sends <paramref name="payload"/> as one whole message of <paramref name="type"/>; the bytes are not checked.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type) =>
        await _socket.SendAsync(payload, type, endOfMessage: true, Timeouts.Token());

    /// <summary>Sends <c>hello</c> with <paramref name="token"/> and returns the <c>welcome</c>; fails on anything else.</summary>
    public Task<WelcomeMessage> HelloAsync(string token) => HelloAsync(new HelloMessage(token));

    /// <summary>Sends <paramref name="hello"/> (a resume, when it names a session) and returns the <c>welcome</c>; fails on anything else.</summary>
    public async Task<WelcomeMessage> HelloAsync(HelloMessage hello)
    {
        await SendAsync(ProtocolJson.Serialize(hello), WebSocketMessageType.Text);
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

    /// <summary>Sends one protocol message.</summary>
    public Task SendAsync(ClientMessage message) => SendAsync(ProtocolJson.Serialize(message), WebSocketMessageType.Text);

    /// <summary>
    /// Reads events until one satisfies <paramref name="until"/>, checking that their seqs grow by
    /// exactly one; other messages are skipped, a close is a <see cref="DeliveryContractException"/>.
    /// </summary>
    public async Task<List<EventMessage>> ReadEventsAsync(Func<EventMessage, bool> until, TimeSpan? timeout = null)
    {
        var events = new List<EventMessage>();
        while (true)
        {
            var received = await ReceiveAsync(timeout);
            if (received.IsClose) throw new DeliveryContractException($"closed {received.CloseStatus} ({received.CloseDescription}) after {events.Count} events");
            if (received.Message is not EventMessage e) continue;
            if (events.Count > 0 && e.Seq != events[^1].Seq + 1)
                throw new DeliveryContractException($"seq must grow by exactly one: expected {events[^1].Seq + 1}, got {e.Seq}");
            events.Add(e);
            if (until(e)) return events;
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

    /// <summary>
    /// Closes as a polite client does: the close handshake, reading (and dropping) what the server
    /// still sends until its close arrives. Closing with unread data would reset the connection,
    /// and a reset makes the server's kernel drop frames it had received but not yet read.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", Timeouts.Token(TimeSpan.FromSeconds(2)));
            else if (_socket.State is WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", Timeouts.Token(TimeSpan.FromSeconds(2)));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { } // the server already went away
        _socket.Dispose();
    }
}
