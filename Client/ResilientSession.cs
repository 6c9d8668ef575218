using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

/// <summary>
/// A session that survives its sockets: it reconnects with jittered backoff, resumes with
/// <c>sessionId</c> + <c>lastSeq</c> + <c>lastChain</c>, drops duplicates by <c>seq</c>, checks every
/// event against the continuity chain (protocol v1.1), re-sends prompts that did not start,
/// refreshes its token in-band and detects dead links by heartbeat.
/// </summary>
public sealed partial class ResilientSession : IAsyncDisposable
{
    private readonly ResilientSessionOptions _options;
    private readonly Channel<EventMessage> _events = Channel.CreateUnbounded<EventMessage>();
    private readonly Channel<ConnectionEvent> _connection = Channel.CreateUnbounded<ConnectionEvent>();
    private readonly List<PromptMessage> _pendingPrompts = [];
    private readonly CancellationTokenSource _disposed = new();
    private SessionLink? _link;
    private Task _loop = Task.CompletedTask;
    private long _lastSeq;
    private int _generation;
    private int _heartbeatMs;

    private readonly EndpointRotation _endpoints;
    private volatile IPAddress? _localAddress;
    private Uri? _switchToEndpoint;
    private volatile bool _switchingNetwork;

    private ResilientSession(ResilientSessionOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedPrompts, 1, nameof(options.MaxQueuedPrompts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RefusedPromptRetryDelay, TimeSpan.Zero, nameof(options.RefusedPromptRetryDelay));
        _options = options;
        _endpoints = new EndpointRotation(options.Endpoint, options.AlternateEndpoints);
        _localAddress = options.LocalAddress;
    }

    /// <summary>The current session id (a failed resume replaces it with a fresh one).</summary>
    public string SessionId { get; private set; } = "";

    /// <summary>The epoch of the session store when the session was last welcomed.</summary>
    public string Epoch { get; private set; } = "";

    /// <summary>The highest seq received in order.</summary>
    public long LastSeq => Interlocked.Read(ref _lastSeq);

    /// <summary>The heartbeat interval the server asked for in its last <c>welcome</c> (zero: none).</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromMilliseconds(Volatile.Read(ref _heartbeatMs));

    /// <summary>Events that arrived again after a resume and were dropped.</summary>
    public long DuplicatesDropped { get; private set; }

    /// <summary>Times an event skipped a seq (the session then resumes from <see cref="LastSeq"/>). Zero unless the server breaks the contract.</summary>
    public long GapsDetected { get; private set; }

    /// <summary>Every event exactly once and in seq order, each one checked against the chain (v1.1).</summary>
    public ChannelReader<EventMessage> Events => _events.Reader;

    /// <summary>Welcomes, drops, chain mismatches, snapshots after a failed resume and the end of the session, as they happen.</summary>
    public ChannelReader<ConnectionEvent> ConnectionEvents => _connection.Reader;

    /// <summary>Opens a new session and keeps it alive until disposed.</summary>
    public static Task<ResilientSession> ConnectAsync(ResilientSessionOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, null, cancellationToken);

    /// <summary>Resumes a session known from an earlier process (or page load).</summary>
    public static Task<ResilientSession> ResumeAsync(ResilientSessionOptions options, string sessionId, long lastSeq, string? epoch, CancellationToken cancellationToken) =>
        ResumeAsync(options, sessionId, lastSeq, epoch, lastChain: null, cancellationToken);

    /// <summary>
    /// Resumes a session known from an earlier process (or page load) with the chain it had
    /// reached (<see cref="LastChain"/>), so the server resumes only a history both share. Without
    /// one, seq 0 starts from the session's genesis and a later seq adopts the server's value.
    /// </summary>
    public static Task<ResilientSession> ResumeAsync(ResilientSessionOptions options, string sessionId, long lastSeq, string? epoch, string? lastChain, CancellationToken cancellationToken) =>
        StartAsync(options, (sessionId, lastSeq, epoch, lastChain ?? (lastSeq == 0 ? EventChain.Genesis(sessionId) : null)), cancellationToken);

    private static async Task<ResilientSession> StartAsync(ResilientSessionOptions options, (string Id, long LastSeq, string? Epoch, string? Chain)? resume, CancellationToken cancellationToken)
    {
        var session = new ResilientSession(options);
        if (resume is { } r)
        {
            (session.SessionId, session._lastSeq, session.Epoch, session._chain) = (r.Id, r.LastSeq, r.Epoch ?? "", r.Chain);
        }
        using var activity = ClientTelemetry.Source.StartActivity("client.connect", ActivityKind.Client);
        (int? CloseCode, string Reason) outcome;
        while (true)
        {
            try
            {
                outcome = await session.HandshakeAsync(activity, forceRefresh: false, cancellationToken);
                break;
            }
            catch (Exception ex) when (EndpointRotation.IsRefusal(ex) && session._endpoints.Refused())
            {
                // Nobody listens there: the next address, at once.
            }
        }
        if (outcome.CloseCode is { } code)
        {
            throw new SessionClosedException(code, outcome.Reason);
        }
        session._loop = Task.Run(session.RunAsync, CancellationToken.None);
        return session;
    }

    /// <summary>
    /// Sends a prompt. <paramref name="id"/> is the idempotency key: while offline the prompt is
    /// queued, and it is re-sent after every reconnect until its answer starts (the server starts
    /// one run per id, so it is answered exactly once).
    /// </summary>
    /// <exception cref="PromptQueueFullException"><see cref="ResilientSessionOptions.MaxQueuedPrompts"/> prompts already wait; this one was not queued.</exception>
    public async Task SendPromptAsync(string id, string text, CancellationToken cancellationToken)
    {
        var prompt = new PromptMessage(id, text);
        lock (_pendingPrompts)
        {
            if (!_pendingPrompts.Exists(p => p.Id == id))
            {
                if (_pendingPrompts.Count >= _options.MaxQueuedPrompts) throw new PromptQueueFullException(_options.MaxQueuedPrompts);
                _pendingPrompts.Add(prompt);
            }
        }
        await TrySendAsync(prompt, cancellationToken);
    }

    /// <summary>Prompts waiting for their answers to start (queued offline, or sent and not yet answered).</summary>
    public int QueuedPrompts
    {
        get { lock (_pendingPrompts) return _pendingPrompts.Count; }
    }

    /// <summary>Aborts the current socket without a close frame, as a dropped network would. The session reconnects.</summary>
    public void AbortConnection() => _link?.Abort();

    /// <summary>
    /// The device moved to another network: later connections go from <paramref name="localAddress"/>
    /// (null: the OS's choice), and to <paramref name="endpoint"/> when given (another address of
    /// the same backend). The current socket is dropped at once, as the old network would drop it,
    /// and the session resumes over the new path without a backoff delay.
    /// </summary>
    public void SwitchNetwork(IPAddress? localAddress, Uri? endpoint = null)
    {
        _localAddress = localAddress;
        if (endpoint is not null) Volatile.Write(ref _switchToEndpoint, endpoint);
        _switchingNetwork = true;
        _link?.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested) return;
        if (_link is { } link)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await link.CloseAsync(timeout.Token);
        }
        await _disposed.CancelAsync();
        _link?.Abort();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _link?.Dispose();
        End(null, "disposed");
        _disposed.Dispose();
        _refreshGate.Dispose();
    }

    private async Task RunAsync()
    {
        // Each reconnect is its own trace, not a child of whatever span was current at connect time.
        Activity.Current = null;
        try
        {
            while (!_disposed.IsCancellationRequested)
            {
                var (code, reason) = await ServeAsync(_link!);
                if (_switchingNetwork && code is null) reason = ClientTelemetry.NetworkSwitchReason;
                var final = _disposed.IsCancellationRequested || (code is { } c && !CloseCodes.AllowsReconnect(c));
                // The state changes before the event is announced: whoever wakes on the event sees it.
                if (!final) SetState(new ConnectionState(ConnectionStatus.Resuming, CloseCode: code, Reason: reason));
                _connection.Writer.TryWrite(new Disconnected(code, reason));
                if (_disposed.IsCancellationRequested) return;
                if (final)
                {
                    End(code, reason);
                    return;
                }
                if (!await ReconnectAsync(code, reason)) return;
            }
        }
        catch (Exception ex) when (!_disposed.IsCancellationRequested)
        {
            // A bug must end the session loudly, never leave it silently dead.
            End(null, $"client failure: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<bool> ReconnectAsync(int? code, string reason)
    {
        using var activity = ClientTelemetry.Source.StartActivity("client.reconnect", ActivityKind.Client);
        activity?.SetTag(ClientTelemetry.ReconnectReason, reason);
        TagMismatch(activity);
        var started = _options.TimeProvider.GetTimestamp();
        // A token the server refused, or one about to expire, is replaced before the hello.
        var forceRefresh = code == CloseCodes.TokenExpired || TokenIsDue();
        var retryAfter = ReconnectBackoff.RetryAfter(code, reason);
        if (reason == HeartbeatReason) activity?.SetTag(ClientTelemetry.ReconnectSilenceMs, _deadLinkSilenceMs);
        // The server going away means another process serves (or soon will): go at once.
        var baseDelay = code == CloseCodes.GoingAway ? _options.GoingAwayReconnectDelay : _options.ReconnectBaseDelay;
        var backoff = 0;
        // A network switch is deliberate: the new path is up, so knock at once.
        var waitFirst = !_switchingNetwork;
        _switchingNetwork = false;
        for (var attempt = 1; !_disposed.IsCancellationRequested; attempt++)
        {
            var delay = waitFirst
                ? ReconnectBackoff.NextDelay(++backoff, baseDelay, _options.ReconnectMaxDelay, _options.Random(), retryAfter)
                : TimeSpan.Zero;
            waitFirst = true;
            try
            {
                await Task.Delay(delay, _options.TimeProvider, _disposed.Token);
                activity?.AddEvent(new ActivityEvent(ClientTelemetry.AttemptEvent,
                    tags: new ActivityTagsCollection { [ClientTelemetry.AttemptBackoffMs] = delay.TotalMilliseconds }));
                var outcome = await HandshakeAsync(activity, forceRefresh, _disposed.Token);
                if (outcome.CloseCode is null)
                {
                    activity?.SetTag(ClientTelemetry.ReconnectAttempts, attempt);
                    activity?.SetTag(ClientTelemetry.ReconnectDowntimeMs, _options.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
                    return true;
                }
                if (!CloseCodes.AllowsReconnect(outcome.CloseCode.Value))
                {
                    activity?.SetStatus(ActivityStatusCode.Error, outcome.Reason);
                    End(outcome.CloseCode, outcome.Reason);
                    return false;
                }
                activity?.AddEvent(new ActivityEvent(ClientTelemetry.AttemptRejectedEvent, tags: new ActivityTagsCollection
                {
                    [ClientTelemetry.CloseCode] = outcome.CloseCode.Value,
                    [ClientTelemetry.CloseReason] = outcome.Reason,
                }));
                forceRefresh = outcome.CloseCode == CloseCodes.TokenExpired || TokenIsDue();
                // A 4029 answer to this attempt sets the floor of the next delay, as one on the live link did.
                retryAfter = ReconnectBackoff.RetryAfter(outcome.CloseCode, outcome.Reason);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or TimeoutException or JsonException or HttpRequestException
                                       || (ex is OperationCanceledException && !_disposed.IsCancellationRequested))
            {
                activity?.AddEvent(new ActivityEvent(ClientTelemetry.AttemptFailedEvent, tags: new ActivityTagsCollection { [ClientTelemetry.ErrorType] = ex.GetType().Name }));
                // A refusal moves to the next address; one not yet refused is tried without a delay.
                if (EndpointRotation.IsRefusal(ex)) waitFirst = !_endpoints.Refused();
                // A 429/503 upgrade answer's Retry-After sets the floor of the next delay, as a 4029 does.
                if (ex is HandshakeRefusedException refused) retryAfter = refused.RetryAfter(_options.TimeProvider.GetUtcNow()) ?? retryAfter;
            }
        }
        return false;
    }

    private async Task<(int? CloseCode, string Reason)> HandshakeAsync(Activity? activity, bool forceRefresh, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        var token = await _options.AccessTokenProvider(forceRefresh, timeout.Token);
        if (Interlocked.Exchange(ref _switchToEndpoint, null) is { } switchTo) _endpoints.MoveTo(switchTo);
        var link = new SessionLink(await _options.Connector(new NetworkPath(_endpoints.Current, _localAddress), timeout.Token));
        _endpoints.Accepted();
        try
        {
            await link.SendAsync(new HelloMessage(token,
                SessionId.Length > 0 ? SessionId : null,
                SessionId.Length > 0 ? LastSeq : null,
                Epoch.Length > 0 ? Epoch : null,
                activity?.Id,
                SessionId.Length > 0 ? LastChain : null), timeout.Token);
            var first = await link.ReceiveAsync(timeout.Token);
            if (first is not WelcomeMessage welcome)
            {
                var code = (int?)link.Socket.CloseStatus ?? CloseCodes.ProtocolError;
                var reason = link.Socket.CloseStatusDescription ?? "no welcome";
                link.Dispose();
                return (code, reason);
            }
            var previous = Interlocked.Exchange(ref _link, link);
            previous?.Dispose();
            OnWelcome(welcome, activity);
            await ResendPendingPromptsAsync(link, cancellationToken);
            return (null, "");
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    private void OnWelcome(WelcomeMessage welcome, Activity? activity)
    {
        if (!welcome.Resumed)
        {
            // A fresh session: seqs start again at 1. welcome.Reason says why history is gone.
            Interlocked.Exchange(ref _lastSeq, 0);
        }
        SessionId = welcome.SessionId;
        Epoch = welcome.Epoch;
        OnWelcomeChain(welcome);
        _heartbeatMs = welcome.HeartbeatMs;
        OnTokenExpiry(welcome.TokenExpiresAt);
        activity?.SetTag(ClientTelemetry.SessionId, welcome.SessionId);
        activity?.SetTag(ClientTelemetry.SessionResumed, welcome.Resumed);
        activity?.SetTag(ClientTelemetry.SessionReplayCount, welcome.ReplayCount);
        if (welcome.Reason is not null) activity?.SetTag(ClientTelemetry.SessionResumeReason, welcome.Reason);
        SetState(welcome.Resumed
            ? new ConnectionState(ConnectionStatus.Resumed, welcome.ReplayCount)
            : new ConnectionState(ConnectionStatus.Open, Reason: welcome.Reason));
        _connection.Writer.TryWrite(new Welcomed(welcome, Interlocked.Increment(ref _generation)));
    }

    private void End(int? code, string reason)
    {
        if (_connection.Writer.TryWrite(new Ended(code, reason)))
        {
            SetState(new ConnectionState(ConnectionStatus.Closed, CloseCode: code, Reason: reason));
            _connection.Writer.TryComplete();
            _events.Writer.TryComplete(code is { } c ? new SessionClosedException(c, reason) : null);
        }
    }
}
