using System.Net.WebSockets;

namespace AspireResilience.Client;

/// <summary>Settings of a <see cref="ResilientSession"/>.</summary>
public sealed class ResilientSessionOptions
{
    /// <summary>The backend's WebSocket endpoint, e.g. <c>ws://localhost:5000/ws</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>
    /// Other addresses of the same backend (e.g. each replica's own), tried in turn when the
    /// current one refuses the connection: a dead replica's port refuses at once, so its clients
    /// move to a live one without waiting out a backoff. Defaults to none.
    /// </summary>
    public IReadOnlyList<Uri> AlternateEndpoints { get; init; } = [];

    /// <summary>
    /// Supplies an access token. Called with <c>forceRefresh: true</c> when the current one was
    /// rejected as expired or the server warned of its expiry.
    /// </summary>
    public required Func<bool, CancellationToken, ValueTask<string>> AccessTokenProvider { get; init; }

    /// <summary>
    /// Opens the socket. Defaults to a <see cref="ClientWebSocket"/>; replace it to bind a source
    /// address, add headers or go through a proxy.
    /// </summary>
    public Func<Uri, CancellationToken, ValueTask<WebSocket>> Connector { get; init; } = DefaultConnectAsync;

    /// <summary>First reconnect delay ceiling (doubles per attempt). Defaults to 100 ms.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// First reconnect delay ceiling after the server closed with 1001 (it is shutting down and
    /// another process serves, or soon will): reconnect at once, with just enough jitter to spread
    /// its clients. Doubles per attempt like the base delay. Defaults to 20 ms.
    /// </summary>
    public TimeSpan GoingAwayReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Largest reconnect delay. Defaults to 5 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for <c>welcome</c> after sending <c>hello</c>. Defaults to 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often received events are acknowledged (only when something new arrived). Defaults to 200 ms.</summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Silence (no frame at all) after which the link counts as dead, in heartbeat intervals.
    /// A live server answers every <c>ping</c> (one per interval) with a <c>pong</c>, so two silent
    /// intervals are two missed pongs. Defaults to 2: at a 1 s heartbeat a dead server is found
    /// in 2–2.25 s, inside DESIGN.md's 3 s budget with room for a busy machine.
    /// </summary>
    public double DeadLinkHeartbeats { get; init; } = 2;

    /// <summary>Clock for delays and heartbeats. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Source of jitter in [0, 1). Defaults to <see cref="Random.Shared"/>.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    private static async ValueTask<WebSocket> DefaultConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
