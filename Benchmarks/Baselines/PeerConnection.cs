using System.Text;
using AspireResilience.Benchmarks.Faults;
using AspireResilience.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace AspireResilience.Benchmarks.Baselines;

/// <summary>
/// A client of the peer: an ASP.NET Core SignalR <see cref="HubConnection"/> over WebSockets with
/// stateful reconnect, its sockets opened through a <see cref="TrackedConnector"/> so the same
/// kernel fault can hit it as hits ours.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    private readonly HubConnection _hub;

    private PeerConnection(HubConnection hub, TrackedConnector connector)
    {
        _hub = hub;
        Connector = connector;
    }

    public TrackedConnector Connector { get; }

    /// <summary>Negotiates, opens the WebSocket and completes SignalR's handshake.</summary>
    public static async Task<PeerConnection> ConnectAsync(Uri hub, CancellationToken cancellationToken)
    {
        var connector = new TrackedConnector();
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.WebSocketFactory = (context, token) => connector.ConnectAsync(context.Uri, token);
            })
            .WithStatefulReconnect()
            .ConfigureLogging(logging =>
            {
                if (Environment.GetEnvironmentVariable("BENCH_SIGNALR_LOG") is not null) logging.AddConsole().SetMinimumLevel(LogLevel.Debug);
            })
            .Build();
        await connection.StartAsync(cancellationToken);
        return new PeerConnection(connection, connector);
    }

    /// <summary>Streams run <paramref name="runId"/>; the hub pauses after <paramref name="pauseAfterSeq"/> (0: never) until its gate opens.</summary>
    public async IAsyncEnumerable<EventMessage> StreamAsync(string runId, int chunks, int pauseAfterSeq,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var json in _hub.StreamAsync<string>(nameof(AnswerHub.Answer), runId, chunks, pauseAfterSeq, cancellationToken))
        {
            yield return ProtocolJson.DeserializeServer(Encoding.UTF8.GetBytes(json)) as EventMessage
                ?? throw new InvalidOperationException("the peer streamed something other than an event");
        }
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
