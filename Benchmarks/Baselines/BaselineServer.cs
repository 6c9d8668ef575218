using System.Net;
using System.Net.WebSockets;
using AspireResilience.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireResilience.Benchmarks.Baselines;

/// <summary>
/// The two baselines in one in-process Kestrel on loopback: <c>/floor</c>, a bare WebSocket that
/// answers a <c>hello</c> with a <c>welcome</c> and a <c>prompt</c> with the answer's events (no
/// store, no resume: the least any server can do), and <c>/hub</c>, an ASP.NET Core SignalR hub with
/// stateful reconnect (the peer).
/// </summary>
internal sealed class BaselineServer : IAsyncDisposable
{
    /// <summary>SignalR's ack window (<c>HubOptions.StatefulReconnectBufferSize</c>): its default, 100,000 bytes, stated here.</summary>
    public const long StatefulReconnectBufferSize = 100_000;

    private readonly WebApplication _app;

    private BaselineServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri Address { get; }

    public Uri Floor => new UriBuilder("ws", Address.Host, Address.Port, "/floor").Uri;

    public Uri Hub => new(Address, "/hub");

    public static async Task<BaselineServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSignalR(o => o.StatefulReconnectBufferSize = StatefulReconnectBufferSize);
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/floor", FloorAsync);
        app.MapHub<AnswerHub>("/hub", o => o.AllowStatefulReconnects = true);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new BaselineServer(app, new Uri(address));
    }

    private static async Task FloorAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        var sessionId = Guid.NewGuid().ToString("N");
        var seq = 1L;
        var chain = EventChain.Genesis(sessionId);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), context.RequestAborted);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close) break;
                switch (ProtocolJson.DeserializeClient(buffer.AsSpan(0, length)))
                {
                    case HelloMessage:
                        await SendAsync(socket, AnswerFrames.Welcome(sessionId), context.RequestAborted);
                        break;
                    case PromptMessage prompt:
                        foreach (var e in AnswerFrames.Events(prompt.Id, int.Parse(prompt.Text, System.Globalization.CultureInfo.InvariantCulture), seq, chain))
                        {
                            await SendAsync(socket, e, context.RequestAborted);
                            seq = e.Seq + 1;
                            chain = e.Chain!;
                        }
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away: the floor keeps nothing.
        }
    }

    private static Task SendAsync(WebSocket socket, ServerMessage message, CancellationToken cancellationToken) =>
        socket.SendAsync(ProtocolJson.Serialize(message), WebSocketMessageType.Text, true, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
