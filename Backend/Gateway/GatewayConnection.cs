using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.RateLimiting;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Sessions;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// One client socket: the <c>hello</c> handshake, then a receive loop that dispatches frames
/// while an <see cref="OutboxPump"/> sends the session's events and a watchdog follows the
/// token's expiry. Every way out states a close code.
/// </summary>
public sealed partial class GatewayConnection : IDisposable
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly GatewayDependencies _d;
    private readonly FrameSender _sender;
    private readonly FrameReader _reader;
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationToken _requestAborted;
    private readonly TokenBucketRateLimiter _limiter;
    private readonly TokenWatchdog _watchdog;
    private Action<RedisChannel, RedisValue>? _notifyHandler;
    private OutboxPump? _pump;
    private int _badFrames;

    public GatewayConnection(WebSocket socket, GatewayDependencies dependencies, CancellationToken requestAborted)
    {
        _socket = socket;
        _d = dependencies;
        _sender = new FrameSender(socket);
        _reader = new FrameReader(socket, dependencies.Options.MaxFrameBytes);
        _requestAborted = requestAborted;
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = dependencies.Options.FrameBurst,
            TokensPerPeriod = dependencies.Options.FramesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        _watchdog = new TokenWatchdog(_sender, dependencies.Time, dependencies.Options.TokenExpiryLead, dependencies.ClockSkew,
            onExpired: () => CloseAsync(CloseCodes.TokenExpired, "token expired"));
    }

    public string Id { get; } = SessionStore.NewId();
    public string? SessionId { get; private set; }
    public TokenIdentity? Identity { get; private set; }

    public async Task RunAsync()
    {
        BackendTelemetry.ActiveConnections.Add(1);
        using var stopping = _d.ApplicationStopping.Register(() => _ = CloseAsync(CloseCodes.GoingAway, "server shutting down"));
        Task pump = Task.CompletedTask, watch = Task.CompletedTask, touch = Task.CompletedTask;
        try
        {
            if (!await HelloAsync()) return;
            pump = PumpAsync();
            watch = _watchdog.RunAsync(Identity!.ExpiresAt, _lifetime.Token);
            touch = KeepSessionInUseAsync();
            await ReceiveLoopAsync();
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            // Raw protocol violations (RSV bits, bad opcodes…) and dropped peers end here. For a
            // violation the framework has queued its 1002 close frame but aborted the socket;
            // returning now would reset the TCP connection before the frame is written. Let the
            // peer read it and hang up first (at most CloseGrace; at once if it is already gone).
            LogSocketFailed(_d.Logger, Id, ex.WebSocketErrorCode);
            await Task.Delay(CloseGrace, _d.Time, _requestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (RedisException ex)
        {
            LogRedisUnavailable(_d.Logger, Id, ex.GetType().Name);
            await CloseAsync(CloseCodes.TryAgainLater, "session store unavailable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug must still end with a stated close code, not a dropped TCP connection.
            LogUnexpectedFailure(_d.Logger, Id, ex);
            await CloseAsync(CloseCodes.ServerError, "internal error");
        }
        finally
        {
            await AwaitPeerCloseAsync();
            await _lifetime.CancelAsync();
            await Task.WhenAll(pump, watch, touch).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await TeardownAsync();
        }
    }

    /// <summary>
    /// After a close frame went out (ours, or the framework's 1002), waits for the peer's answering
    /// close, at most <see cref="CloseGrace"/>: disposing the socket at once resets the TCP
    /// connection and the close frame — with its code — never reaches the peer.
    /// </summary>
    private async Task AwaitPeerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseSent) return;
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

    /// <summary>Closes with <paramref name="code"/> and gives the peer a moment to answer the close frame.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        if (await _sender.CloseAsync(code, reason))
        {
            LogClosing(_d.Logger, Id, code, reason);
            _lifetime.CancelAfter(CloseGrace);
        }
    }

    private async Task<bool> HelloAsync()
    {
        var read = _reader.ReadAsync(_lifetime.Token);
        if (await Task.WhenAny(read, Task.Delay(_d.Options.HelloTimeout, _d.Time, _lifetime.Token)) != read)
        {
            await CloseAsync(CloseCodes.HelloTimeout, "no hello in time");
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return false;
        }
        var frame = await read;
        if (frame.PeerClosed || frame.CloseCode is not null)
        {
            await CloseAsync(frame.CloseCode ?? CloseCodes.Normal, frame.PeerClosed ? "" : "invalid frame");
            return false;
        }
        if (ClientFrameParser.Parse(frame.Text.Span).Message is not HelloMessage hello)
        {
            await CloseAsync(CloseCodes.MalformedHello, "the first frame must be a valid hello");
            return false;
        }

        ActivityContext.TryParse(hello.Traceparent, null, out var parent);
        using var activity = BackendTelemetry.Source.StartActivity("session.hello", ActivityKind.Server, parent);
        activity?.SetTag("connection.id", Id);
        var check = await _d.Tokens.ValidateAsync(hello.Token, _lifetime.Token);
        if (check.Identity is null)
        {
            activity?.SetTag("token.failure", check.Failure.ToString());
            await CloseAsync(check.Failure == TokenFailure.Expired ? CloseCodes.TokenExpired : CloseCodes.Forbidden, "token rejected");
            return false;
        }
        var outcome = await _d.Handshake.AttachAsync(hello, check.Identity, Id);
        if (outcome.Welcome is null)
        {
            await CloseAsync(outcome.CloseCode, outcome.CloseReason ?? "");
            return false;
        }

        Identity = check.Identity;
        SessionId = outcome.Welcome.SessionId;
        activity?.SetTag("session.id", SessionId);
        activity?.SetTag("resumed", outcome.Welcome.Resumed);
        _pump = new OutboxPump(_d.Sessions, _sender, SessionId, outcome.NextSeq, _d.Options.OutboxPollInterval);
        // Subscribed before the welcome, so no append or takeover after it goes unnoticed.
        _notifyHandler = OnNotification;
        await _d.Subscriber.SubscribeAsync(RedisChannel.Literal(SessionKeys.Channel(SessionId)), _notifyHandler);
        _d.Registry.Add(this);
        await _sender.SendAsync(outcome.Welcome, _lifetime.Token);
        return true;
    }

    private async Task ReceiveLoopAsync()
    {
        while (true)
        {
            var frame = await _reader.ReadAsync(_lifetime.Token);
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
        PromptMessage prompt => OnPromptAsync(prompt),
        AckMessage ack => OnAckAsync(ack),
        RefreshMessage refresh => OnRefreshAsync(refresh),
        PingMessage ping => _sender.SendAsync(new PongMessage(ping.T), _lifetime.Token),
        _ => RejectFrameAsync(ErrorCodes.UnexpectedHello, "hello is only valid as the first frame"),
    };

    private async Task RejectFrameAsync(string code, string message)
    {
        await _sender.SendAsync(new ErrorMessage(code, message, Retryable: false), _lifetime.Token);
        if (++_badFrames >= _d.Options.MaxBadFrames)
        {
            await CloseAsync(CloseCodes.Policy, "too many invalid frames");
        }
    }

    private void OnNotification(RedisChannel channel, RedisValue value)
    {
        var notification = SessionNotification.Parse(value.ToString());
        if (notification?.Kind == SessionNotificationKind.EventAppended)
        {
            _pump?.Wake();
        }
        else if (notification is { Kind: SessionNotificationKind.Attached } attached && attached.Value != Id)
        {
            using var activity = BackendTelemetry.Source.StartActivity("session.superseded");
            activity?.SetTag("session.id", SessionId);
            _ = CloseAsync(CloseCodes.Superseded, "superseded by a newer connection");
        }
    }

    /// <summary>An attached session is in use even when nothing is said: its resume window starts at the disconnect.</summary>
    private async Task KeepSessionInUseAsync()
    {
        using var timer = new PeriodicTimer(_d.Sessions.TouchInterval, _d.Time);
        while (await timer.WaitForNextTickAsync(_lifetime.Token))
        {
            try
            {
                await _d.Sessions.TouchAsync(SessionId!, Id);
            }
            catch (RedisException ex)
            {
                // The pump notices a lasting outage and closes 1013; a missed touch is harmless.
                LogRedisUnavailable(_d.Logger, Id, ex.GetType().Name);
            }
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            if (await _pump!.RunAsync(_lifetime.Token) is { } code)
            {
                await CloseAsync(code, "outbox overflow: resume to learn what was lost");
            }
        }
        catch (RedisException ex)
        {
            LogRedisUnavailable(_d.Logger, Id, ex.GetType().Name);
            await CloseAsync(CloseCodes.TryAgainLater, "session store unavailable");
        }
    }
}
