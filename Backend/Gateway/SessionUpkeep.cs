using System.Diagnostics;
using AspireResilience.Backend.Sessions;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// What an attached connection does besides answering frames: it sends the session's outbox
/// (<see cref="OutboxPump"/>), keeps the session in use so its resume window starts only at the
/// disconnect (and its place among the user's live sockets, <see cref="UserQuota"/>), and follows the token's expiry (<see cref="TokenWatchdog"/>). A reason to close
/// goes to <c>close</c>; the loops end when the connection's lifetime does.
/// </summary>
public sealed class SessionUpkeep(
    SessionStore sessions, UserQuota quota, string subject, FrameSender sender, GatewayOptions options, TimeSpan clockSkew, TimeProvider time, ILogger logger,
    ConnectionTrace trace, string connectionId, string sessionId, long nextSeq, long replayCount, Func<int, string, Task> close)
{
    private Activity? _replay;
    private OutboxPump? _pump;
    private readonly TokenWatchdog _watchdog = new(sender, time, options.TokenExpiryLead, clockSkew,
        onExpired: () => close(CloseCodes.TokenExpired, "token expired"));

    /// <summary>An event was appended: send it now rather than at the next poll.</summary>
    public void Wake() => _pump?.Wake();

    /// <summary>The connection runs on a refreshed token now.</summary>
    public void Rearm(DateTimeOffset tokenExpiresAt) => _watchdog.Rearm(tokenExpiresAt);

    public async Task RunAsync(DateTimeOffset tokenExpiresAt, CancellationToken cancellationToken)
    {
        // Outside any span: these polls are upkeep, not the connection's story, and a Redis
        // command without a parent span is dropped from the traces (ServiceDefaults).
        Activity.Current = null;
        if (replayCount > 0)
        {
            // The replay's own span, so its rate (events/s) can be read from the trace.
            _replay = trace.StartChild(SpanNames.SessionReplay);
            _replay?.SetTag(SpanAttributes.SessionId, sessionId);
            _replay?.SetTag(SpanAttributes.SessionReplayCount, replayCount);
        }
        _pump = new OutboxPump(sessions, sender, sessionId, nextSeq, nextSeq + replayCount - 1, EndReplay, options.OutboxPollInterval);
        await Task.WhenAll(
            PumpAsync(cancellationToken),
            _watchdog.RunAsync(tokenExpiresAt, cancellationToken),
            KeepSessionInUseAsync(cancellationToken));
    }

    private void EndReplay() => _replay?.Dispose();

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await _pump!.RunAsync(cancellationToken) is { } code)
            {
                await close(code, "outbox overflow: resume to learn what was lost");
            }
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            GatewayConnection.LogRedisUnavailable(logger, connectionId, ex.GetType().Name);
            await close(CloseCodes.TryAgainLater, "session store unavailable");
        }
        finally
        {
            // A replay cut short (the link dropped) still ends its span, marked unfinished.
            if (_replay is { IsStopped: false } replay)
            {
                replay.SetStatus(ActivityStatusCode.Error, "replay interrupted");
                replay.Dispose();
            }
        }
    }

    /// <summary>An attached session is in use even when nothing is said: its resume window starts at the disconnect.</summary>
    private async Task KeepSessionInUseAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(sessions.TouchInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                if (await sessions.TouchAsync(sessionId, connectionId))
                {
                    await quota.RenewAsync(subject, sessionId);
                }
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                // The pump notices a lasting outage and closes 1013; a missed touch is harmless.
                GatewayConnection.LogRedisUnavailable(logger, connectionId, ex.GetType().Name);
            }
        }
    }
}
