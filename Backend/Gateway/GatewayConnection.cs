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
/// One client socket: the <c>hello</c> handshake, then a receive loop that dispatches frames
/// while an <see cref="OutboxPump"/> sends the session's events and a watchdog follows the
/// token's expiry. Every way out states a close code. Created per socket by
/// <see cref="GatewayConnectionFactory"/>.
/// </summary>
public sealed partial class GatewayConnection(
    WebSocket socket,
    CancellationToken requestAborted,
    SessionHandshake handshake,
    SessionStore sessions,
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
    private TokenWatchdog? _watchdog;
    private SessionSubscription? _subscription;
    private OutboxPump? _pump;
    private int _badFrames;

    public string Id { get; } = SessionStore.NewId();
    public string? SessionId { get; private set; }
    public TokenIdentity? Identity { get; private set; }

    public async Task RunAsync()
    {
        BackendTelemetry.ActiveConnections.Add(1);
        using var stopping = lifetime.ApplicationStopping.Register(() => _ = CloseAsync(CloseCodes.GoingAway, "server shutting down"));
        Task pump = Task.CompletedTask, watch = Task.CompletedTask, touch = Task.CompletedTask;
        try
        {
            if (!await HelloAsync()) return;
            _watchdog = new TokenWatchdog(_sender, time, _options.TokenExpiryLead, tokenOptions.Value.ClockSkew,
                onExpired: () => CloseAsync(CloseCodes.TokenExpired, "token expired"));
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
            LogSocketFailed(logger, Id, ex.WebSocketErrorCode);
            await Task.Delay(CloseGrace, time, requestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (RedisException ex)
        {
            LogRedisUnavailable(logger, Id, ex.GetType().Name);
            await CloseAsync(CloseCodes.TryAgainLater, "session store unavailable");
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
            await Task.WhenAll(pump, watch, touch).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await TeardownAsync();
        }
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
            await CloseAsync(CloseCodes.HelloTimeout, "no hello in time");
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return false;
        }
        var first = HelloFrame.From(await read);
        if (first.Hello is not { } hello)
        {
            await CloseAsync(first.CloseCode, first.CloseReason);
            return false;
        }

        ActivityContext.TryParse(hello.Traceparent, null, out var parent);
        using var activity = BackendTelemetry.Source.StartActivity("session.hello", ActivityKind.Server, parent);
        activity?.SetTag("connection.id", Id);
        var outcome = await handshake.AcceptAsync(hello, Id, _lifetime.Token);
        if (outcome.TokenFailure != TokenFailure.None)
        {
            activity?.SetTag("token.failure", outcome.TokenFailure.ToString());
        }
        if (outcome.Welcome is null)
        {
            await CloseAsync(outcome.CloseCode, outcome.CloseReason ?? "");
            return false;
        }

        Identity = outcome.Identity;
        SessionId = outcome.Welcome.SessionId;
        activity?.SetTag("session.id", SessionId);
        activity?.SetTag("resumed", outcome.Welcome.Resumed);
        _pump = new OutboxPump(sessions, _sender, SessionId, outcome.NextSeq, _options.OutboxPollInterval);
        // Subscribed before the welcome, so no append or takeover after it goes unnoticed.
        _subscription = await SessionSubscription.SubscribeAsync(redis.GetSubscriber(), SessionId, Id, _pump.Wake, OnSuperseded);
        registry.Add(this);
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

    /// <summary>An attached session is in use even when nothing is said: its resume window starts at the disconnect.</summary>
    private async Task KeepSessionInUseAsync()
    {
        using var timer = new PeriodicTimer(sessions.TouchInterval, time);
        while (await timer.WaitForNextTickAsync(_lifetime.Token))
        {
            try
            {
                await sessions.TouchAsync(SessionId!, Id);
            }
            catch (RedisException ex)
            {
                // The pump notices a lasting outage and closes 1013; a missed touch is harmless.
                LogRedisUnavailable(logger, Id, ex.GetType().Name);
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
            LogRedisUnavailable(logger, Id, ex.GetType().Name);
            await CloseAsync(CloseCodes.TryAgainLater, "session store unavailable");
        }
    }

    private async Task TeardownAsync()
    {
        registry.Remove(this);
        BackendTelemetry.ActiveConnections.Add(-1);
        var code = _sender.CloseCode != 0 ? _sender.CloseCode : (int?)socket.CloseStatus ?? 1006;
        using (var activity = BackendTelemetry.Source.StartActivity("ws.close"))
        {
            activity?.SetTag("code", code);
            activity?.SetTag("session.id", SessionId);
        }
        if (SessionId is null) return;
        try
        {
            if (_subscription is not null)
            {
                await _subscription.DisposeAsync();
            }
            await sessions.DetachAsync(SessionId, Id);
        }
        catch (RedisException)
        {
            // The resume window is measured from the last activity Redis saw; nothing else to do.
        }
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _reader.Dispose();
        _sender.Dispose();
        _lifetime.Dispose();
    }
}
