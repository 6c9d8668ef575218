using System.Net;
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
    /// rejected as expired or is due for a refresh (<see cref="TokenRefreshLead"/>, or the server's
    /// <c>token.expiring</c>): then it must return a new one, e.g. from the refresh-token grant
    /// with the rotating refresh token. It may be called while an earlier call still runs (a
    /// refresh on the live link and a reconnect's), and a call may be cancelled after its grant
    /// reached the token server (the link dropped mid-refresh): with single-use refresh tokens, run
    /// one grant at a time and keep its answer even when the caller gave up, or the server sees a
    /// rotated token again and revokes the whole family (TestSupport's <c>UserTokens</c> does this).
    /// </summary>
    public required Func<bool, CancellationToken, ValueTask<string>> AccessTokenProvider { get; init; }

    /// <summary>
    /// How long before its expiry the access token is refreshed in-band, capped at half of its
    /// remaining life (<see cref="TokenRefreshSchedule.RefreshAt"/>); a reconnect inside that
    /// time also asks for a new token first. Defaults to 30 s.
    /// </summary>
    public TimeSpan TokenRefreshLead { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The local address to connect from (and so the address family); null lets the OS choose.
    /// <see cref="ResilientSession.SwitchNetwork"/> changes it for later connections. Defaults to null.
    /// </summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>
    /// Opens the socket over a <see cref="NetworkPath"/>. Defaults to a <see cref="ClientWebSocket"/>
    /// bound to the path's local address (<see cref="WebSocketConnector"/>); replace it to add
    /// headers or go through a proxy.
    /// </summary>
    public Func<NetworkPath, CancellationToken, ValueTask<WebSocket>> Connector { get; init; } = WebSocketConnector.ConnectAsync;

    /// <summary>
    /// Most prompts that may wait for their answers to start (sent while offline, or not yet
    /// answered); one more throws <see cref="PromptQueueFullException"/>. Defaults to 32.
    /// </summary>
    public int MaxQueuedPrompts { get; init; } = 32;

    /// <summary>
    /// How long a prompt the server refused with <c>too_many_runs</c> waits before it is sent again
    /// when no run ends first (a <c>stream.end</c> sends the oldest refused prompt at once; one
    /// per end, one per delay). Defaults to 2 s.
    /// </summary>
    public TimeSpan RefusedPromptRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

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
}
