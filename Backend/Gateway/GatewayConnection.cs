using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.RateLimiting;
using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Sessions;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// One client socket, from accept to close: the <c>hello</c> (validated by <see cref="HelloFrame"/>,
/// answered by <see cref="SessionHandshake"/>), then a receive loop that enforces the frame limits
/// and hands requests to the <see cref="SessionAttachment"/>, whose upkeep sends the outbox
/// meanwhile. Every way out states a close code. Created per socket by <see cref="GatewayConnectionFactory"/>.
/// </summary>
public sealed partial class GatewayConnection(
    WebSocket socket,
    CancellationToken requestAborted,
    SessionHandshake handshake,
    SessionStore sessions,
    UserQuota quota,
    AgentRunService agentRuns,
    AccessTokenValidator tokens,
    ConnectionRegistry registry,
    IConnectionMultiplexer redis,
    IOptions<GatewayOptions> gatewayOptions,
    IOptions<TokenValidationOptions> tokenOptions,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<GatewayConnection> logger) : IDisposable
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly GatewayOptions _options = gatewayOptions.Value;
    private readonly ConnectionTrace _trace = new(acceptedAt: time.GetUtcNow());
    private readonly FrameSender _sender = new(socket);
    private readonly FrameReader _reader = new(socket, gatewayOptions.Value.MaxFrameBytes);
    private readonly CancellationTokenSource _lifetime = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    private readonly TokenBucketRateLimiter _limiter = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = gatewayOptions.Value.FrameBurst,
        TokensPerPeriod = gatewayOptions.Value.FramesPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
    private SessionAttachment? _attachment;
    private int _badFrames;
    private volatile bool _dropped;
    private long _lastFrameTimestamp = time.GetTimestamp();

    public string Id { get; } = SessionStore.NewId();
    public string? SessionId => _attachment?.SessionId;
    public TokenIdentity? Identity => _attachment?.Identity;

    /// <summary>The socket's only writer.</summary>
    internal FrameSender Sender => _sender;

    /// <summary>The connection's spans; <c>ws.connection</c> is the parent of what happens on it.</summary>
    internal ConnectionTrace Trace => _trace;

    public async Task RunAsync()
    {
        BackendTelemetry.ActiveConnections.Add(1);
        using var stopping = lifetime.ApplicationStopping.Register(() => _ = CloseAsync(CloseCodes.GoingAway, "server shutting down"));
        var upkeep = Task.CompletedTask;
        try
        {
            if (!await HelloAsync()) return;
            upkeep = _attachment!.RunUpkeepAsync(_lifetime.Token);
            // What the client asks for from here on (refresh, prompts and their runs) is a child of ws.connection.
            Activity.Current = _trace.Connection;
            await ReceiveLoopAsync();
        }
        catch (Exception) when (!_dropped && HeartbeatTimeout.Is(socket, closeDecided: _sender.CloseCode != 0))
        {
            // The peer went silent (a dead network, a frozen client): the session stays resumable.
            // (The abort also ends the request, so the lifetime may be cancelled already.)
            var silence = time.GetElapsedTime(_lastFrameTimestamp);
            _trace.HeartbeatTimedOut(silence);
            LogHeartbeatTimedOut(logger, Id, (long)silence.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (Exception) when (_dropped)
        {
            // Dropped on purpose: no close frame to wait for.
        }
        catch (WebSocketException ex)
        {
            // Raw protocol violations (RSV bits, bad opcodes…) and dropped peers end here. For a
            // violation the framework has queued its 1002 close frame but aborted the socket;
            // returning now would reset the TCP connection before the frame is written. Let the
            // peer read it and hang up first (at most CloseGrace; at once if it is already gone).
            LogSocketFailed(logger, Id, ex.WebSocketErrorCode);
            await Task.Delay(CloseGrace, time, requestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            LogRedisUnavailable(logger, Id, ex.GetType().Name);
            await CloseAsync(CloseCodes.TryAgainLater, SessionHandshake.StoreUnavailable);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug must still end with a stated close code, not a dropped TCP connection.
            LogUnexpectedFailure(logger, Id, ex);
            await CloseAsync(CloseCodes.ServerError, "internal error");
        }
        finally
        {
            await AwaitPeerCloseAsync();
            await _lifetime.CancelAsync();
            await upkeep.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await TeardownAsync();
        }
    }

    /// <summary>
    /// Drops the socket without a close frame, as a failed network would (the dashboard's "Drop
    /// all connections"): the session stays attached until the teardown detaches it, resumable.
    /// </summary>
    public void Drop()
    {
        _dropped = true;
        _trace.Connection?.SetTag(SpanAttributes.WsDropped, true);
        socket.Abort();
    }

    /// <summary>Closes with <paramref name="code"/> and gives the peer a moment to answer the close frame.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        if (await _sender.CloseAsync(code, reason))
        {
            LogClosing(logger, Id, code, reason);
            _lifetime.CancelAfter(CloseGrace);
        }
    }

    private async Task<bool> HelloAsync()
    {
        var read = _reader.ReadAsync(_lifetime.Token);
        if (await Task.WhenAny(read, Task.Delay(_options.HelloTimeout, time, _lifetime.Token)) != read)
        {
            _trace.Start(Id, traceparent: null);
            await CloseAsync(CloseCodes.HelloTimeout, "no hello in time");
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return false;
        }
        var first = HelloFrame.From(await read);
        _trace.Start(Id, first.Hello?.Traceparent);
        if (first.Hello is not { } hello)
        {
            await CloseAsync(first.CloseCode, first.CloseReason);
            return false;
        }

        // Current within this method, so the session.resume span of the attach is its child.
        using var activity = _trace.StartChild(SpanNames.SessionHello);
        var outcome = await handshake.AcceptAsync(hello, Id, _lifetime.Token);
        if (outcome.TokenFailure != TokenFailure.None)
        {
            activity?.SetTag(SpanAttributes.ErrorType, outcome.TokenFailure.ToString());
            activity?.SetStatus(ActivityStatusCode.Error, "token rejected");
        }
        if (outcome.CloseCode == CloseCodes.TryAgainLater)
        {
            activity?.SetTag(SpanAttributes.ErrorType, "SessionStoreUnavailable");
            activity?.SetStatus(ActivityStatusCode.Error, outcome.CloseReason);
            LogRedisUnavailable(logger, Id, outcome.CloseReason ?? "");
        }
        if (outcome.Welcome is null)
        {
            await CloseAsync(outcome.CloseCode, outcome.CloseReason ?? "");
            return false;
        }

        activity?.SetTag(SpanAttributes.SessionId, outcome.Welcome.SessionId);
        activity?.SetTag(SpanAttributes.SessionResumed, outcome.Welcome.Resumed);
        // Subscribed before the welcome, so no append or takeover after it goes unnoticed.
        _attachment = await SessionAttachment.AttachAsync(this, outcome, sessions, quota, agentRuns, tokens, redis.GetSubscriber(),
            _options, tokenOptions.Value.ClockSkew, time, logger);
        registry.Add(this);
        await _sender.SendAsync(outcome.Welcome, _lifetime.Token);
        if (outcome.Snapshot is { } snapshot) await _sender.SendAsync(snapshot, _lifetime.Token);
        return true;
    }

    private async Task ReceiveLoopAsync()
    {
        while (true)
        {
            var frame = await _reader.ReadAsync(_lifetime.Token);
            _lastFrameTimestamp = time.GetTimestamp();
            if (frame.PeerClosed)
            {
                await CloseAsync(CloseCodes.Normal, "");
                return;
            }
            if (_sender.CloseCode != 0) continue; // closing: drain until the peer's close frame
            if (frame.CloseCode is { } code)
            {
                await CloseAsync(code, "invalid frame");
                continue;
            }
            using var lease = _limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                await CloseAsync(CloseCodes.Policy, "rate limit exceeded");
                continue;
            }
            var parsed = ClientFrameParser.Parse(frame.Text.Span);
            await (parsed.Message is { } message
                ? DispatchAsync(message)
                : RejectFrameAsync(parsed.ErrorCode!, parsed.Error!));
        }
    }

    private Task DispatchAsync(ClientMessage message) => message switch
    {
        PromptMessage prompt => _attachment!.OnPromptAsync(prompt, _lifetime.Token),
        AckMessage ack => _attachment!.OnAckAsync(ack),
        RefreshMessage refresh => _attachment!.OnRefreshAsync(refresh, _lifetime.Token),
        PingMessage ping => _sender.SendAsync(new PongMessage(ping.T), _lifetime.Token),
        _ => RejectFrameAsync(ErrorCodes.UnexpectedHello, "hello is only valid as the first frame"),
    };

    /// <summary>Answers a bad frame with <c>error</c>; too many strikes close 1008.</summary>
    internal async Task RejectFrameAsync(string code, string message)
    {
        await _sender.SendAsync(new ErrorMessage(code, message, Retryable: false), _lifetime.Token);
        if (++_badFrames >= _options.MaxBadFrames)
        {
            await CloseAsync(CloseCodes.Policy, "too many invalid frames");
        }
    }

    /// <summary>
    /// After a close frame went out (ours, or the framework's 1002), waits for the peer's answering
    /// close, at most <see cref="CloseGrace"/>: disposing the socket at once resets the TCP
    /// connection and the close frame — with its code — never reaches the peer.
    /// </summary>
    private async Task AwaitPeerCloseAsync()
    {
        if (socket.State != WebSocketState.CloseSent) return;
        _lifetime.CancelAfter(CloseGrace);
        try
        {
            while (!(await _reader.ReadAsync(_lifetime.Token)).PeerClosed)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The grace period ran out or the peer vanished: nothing more to wait for.
        }
    }

    private async Task TeardownAsync()
    {
        registry.Remove(this);
        BackendTelemetry.ActiveConnections.Add(-1);
        var code = _sender.CloseCode != 0 ? _sender.CloseCode : (int?)socket.CloseStatus ?? 1006;
        _trace.Start(Id, traceparent: null); // a socket that died before its hello still was a connection
        _trace.End(code, SessionId);
        if (_attachment is not null)
        {
            await _attachment.DisposeAsync();
        }
    }

    /// <summary>Closes with 4003 if this connection runs on a revoked token or family.</summary>
    public Task OnRevokedAsync(string? familyId, string? tokenId) =>
        _attachment is { } attachment && attachment.IsRevokedBy(familyId, tokenId) ? attachment.CloseRevokedAsync(SessionAttachment.RevocationPubSubSource) : Task.CompletedTask;

    public void Dispose()
    {
        _limiter.Dispose();
        _reader.Dispose();
        _sender.Dispose();
        _lifetime.Dispose();
        _trace.Dispose();
    }
}
