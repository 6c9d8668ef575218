using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Sessions;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Answers a valid <c>hello</c>: checks its token, then decides what it attaches to — a new
/// session, the resumed one, or a fresh one with the reason the resume failed. A failed resume
/// is an answer, not a close; only a rejected token (4001, 4003), a foreign owner (4003), a
/// client ahead of the server (4400), a client past its reconnect limit (4029), a user with the
/// most live sockets allowed (4009) or a session store that cannot answer now (1013) closes.
/// </summary>
public sealed partial class SessionHandshake(
    SessionStore sessions,
    AccessTokenValidator tokens,
    ReconnectLimiter limiter,
    UserQuota quota,
    IOptions<GatewayOptions> gateway,
    IOptions<SessionStoreOptions> sessionOptions,
    TimeProvider time)
{
    /// <summary>The close reason when Redis is disconnected or failed the hello's commands.</summary>
    public const string StoreUnavailable = "session store unavailable";

    /// <summary>The close reason when the hello's dependencies did not answer within <see cref="GatewayOptions.HelloAnswerTimeout"/>.</summary>
    public const string AnswerTimedOut = "hello not answered in time";

    /// <summary><c>error.type</c> on <c>session.hello</c> when a hello is over a reconnect limit.</summary>
    public const string TooManyReconnects = "TooManyReconnects";

    /// <summary><c>error.type</c> on <c>session.hello</c> when the user has the most live sockets allowed.</summary>
    public const string TooManyConnections = "TooManyConnections";

    /// <summary>The close reason of a 4009.</summary>
    public const string TooManyConnectionsReason = "too many connections for this user";

    /// <summary>The close reason of a 4029: the retry-after in whole milliseconds, rounded up (docs/protocol.md).</summary>
    internal static string RetryAfterReason(TimeSpan retryAfter) =>
        ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SessionIdFormat();

    /// <summary>
    /// The answer to <paramref name="hello"/>, within <see cref="GatewayOptions.HelloAnswerTimeout"/>:
    /// when Redis stays disconnected, fails or does not answer in time, a close with 1013 (try
    /// again later) — never a hang, never 1011.
    /// </summary>
    public async Task<HandshakeOutcome> AcceptAsync(HelloMessage hello, string connectionId, CancellationToken cancellationToken)
    {
        var bound = gateway.Value.HelloAnswerTimeout;
        var started = time.GetTimestamp();
        // A reconnect (Redis restarting, a reset link) is ridden out; an outage is answered 1013
        // without a single command queued that could act on the client's behalf after it has gone.
        if (!await sessions.WaitUntilConnectedAsync(bound, cancellationToken))
        {
            return HandshakeOutcome.Close(CloseCodes.TryAgainLater, StoreUnavailable);
        }
        var abandoned = new CancellationTokenSource();
        var accept = AcceptCoreAsync(hello, connectionId, abandoned.Token, cancellationToken);
        try
        {
            var left = bound - time.GetElapsedTime(started);
            return await accept.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken);
        }
        catch (TimeoutException ex) when (ex is not RedisTimeoutException)
        {
            return HandshakeOutcome.Close(CloseCodes.TryAgainLater, AnswerTimedOut);
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            return HandshakeOutcome.Close(CloseCodes.TryAgainLater, StoreUnavailable);
        }
        finally
        {
            if (!accept.IsCompleted)
            {
                // Its commands may still run when Redis answers again: the attach must then not
                // announce itself, or it would supersede the client's newer connection (4000).
                await abandoned.CancelAsync();
                _ = accept.ContinueWith(static t => t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task<HandshakeOutcome> AcceptCoreAsync(HelloMessage hello, string connectionId, CancellationToken abandoned, CancellationToken cancellationToken)
    {
        var check = await tokens.ValidateAsync(hello.Token, cancellationToken);
        if (check.Identity is not { } identity)
        {
            // Nothing is attached: an expired token leaves the session intact for the refreshed retry.
            var code = check.Failure == TokenFailure.Expired ? CloseCodes.TokenExpired : CloseCodes.Forbidden;
            return HandshakeOutcome.Close(code, "token rejected", check.Failure);
        }
        return await AttachAsync(hello, identity, connectionId, abandoned) with { Identity = identity };
    }

    private async Task<HandshakeOutcome> AttachAsync(HelloMessage hello, TokenIdentity identity, string connectionId, CancellationToken abandoned)
    {
        if (hello.SessionId is not null && (!SessionIdFormat().IsMatch(hello.SessionId) || hello.LastSeq is < 0))
        {
            return HandshakeOutcome.Close(CloseCodes.MalformedHello, "malformed sessionId or lastSeq");
        }
        if (await limiter.CountAsync(identity.Subject, hello.SessionId) is { } retryAfter)
        {
            // Before anything is attached: a flapping client must not supersede its own live socket.
            Activity.Current?.SetTag(SpanAttributes.ErrorType, TooManyReconnects);
            return HandshakeOutcome.Close(CloseCodes.TooManyReconnects, RetryAfterReason(retryAfter));
        }
        if (hello.SessionId is null)
        {
            return await FreshAsync(identity, connectionId, await sessions.GetEpochAsync(), reason: null);
        }

        if (await quota.AdmitAsync(identity.Subject, hello.SessionId, isNew: false) is null)
        {
            return TooManyConnectionsClose();
        }
        using var activity = BackendTelemetry.Source.StartActivity(SpanNames.SessionResume);
        var started = Stopwatch.GetTimestamp();
        var lastSeq = hello.LastSeq ?? 0;
        var attach = await sessions.AttachAsync(hello.SessionId, identity.Subject, lastSeq, connectionId, hello.LastChain);
        activity?.SetTag(SpanAttributes.SessionId, hello.SessionId);

        HandshakeOutcome outcome;
        switch (attach.Status)
        {
            case AttachStatus.Resumed:
                abandoned.ThrowIfCancellationRequested();
                await sessions.AnnounceAttachAsync(hello.SessionId, connectionId);
                var replay = attach.Top - lastSeq;
                outcome = new HandshakeOutcome(Welcome(hello.SessionId, identity, attach.Epoch!, resumed: true, replay, chain: attach.Chain), lastSeq + 1);
                activity?.SetTag(SpanAttributes.SessionReplayCount, replay);
                BackendTelemetry.ReplayedEvents.Add(replay);
                break;
            case AttachStatus.Forbidden:
                await quota.ForgetAsync(identity.Subject, hello.SessionId);
                outcome = HandshakeOutcome.Close(CloseCodes.Forbidden, "session belongs to another user");
                break;
            default:
                // Not the user's session any more (or never theirs): it no longer counts against their caps.
                await quota.ForgetAsync(identity.Subject, hello.SessionId);
                var epoch = await sessions.GetEpochAsync();
                var reason = FailureReason(attach.Status, hello.Epoch, epoch);
                activity?.SetTag(SpanAttributes.SessionResumeReason, reason);
                outcome = await FreshAsync(identity, connectionId, epoch, reason);
                if (outcome.Welcome is not null && ResumeFailureReasons.HasSnapshot(reason))
                {
                    // Only a session whose owner the attach confirmed is read; an unknown one (epoch) has nothing to show.
                    var turns = reason == ResumeFailureReasons.Epoch ? [] : await sessions.ReadContextAsync(hello.SessionId);
                    outcome = outcome with { Snapshot = SessionSnapshot.Build(hello.SessionId, turns, sessionOptions.Value.SnapshotMaxBytes) };
                    activity?.SetTag(SpanAttributes.SessionSnapshotTurns, outcome.Snapshot.Turns.Count);
                }
                break;
        }

        var resumed = outcome.Welcome?.Resumed == true;
        activity?.SetTag(SpanAttributes.SessionResumed, resumed);
        BackendTelemetry.Resumes.Add(1, new KeyValuePair<string, object?>("outcome", resumed ? "resumed" : attach.Status.ToString().ToLowerInvariant()));
        BackendTelemetry.ResumeDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return outcome;
    }

    /// <summary>Why a resume failed, told to the client in <c>welcome.reason</c>.</summary>
    internal static string FailureReason(AttachStatus status, string? clientEpoch, string storeEpoch) => status switch
    {
        AttachStatus.Expired => ResumeFailureReasons.Expired,
        AttachStatus.Evicted => ResumeFailureReasons.Evicted,
        AttachStatus.Gap => ResumeFailureReasons.Gap,
        // The client holds events the store does not: a Redis failover lost acknowledged writes
        // (asynchronous replication), or a client bug. Either way its history cannot continue
        // here; it gets a fresh session and the old one is left as it is.
        AttachStatus.Ahead => ResumeFailureReasons.Gap,
        AttachStatus.Diverged => ResumeFailureReasons.Diverged,
        // A session we do not know, from a client that saw another epoch: the store lost its data.
        _ when clientEpoch is not null && clientEpoch != storeEpoch => ResumeFailureReasons.Epoch,
        _ => ResumeFailureReasons.Unknown,
    };

    private async Task<HandshakeOutcome> FreshAsync(TokenIdentity identity, string connectionId, string epoch, string? reason)
    {
        // The id is drawn first so the user's caps admit it before it exists: two racing hellos
        // cannot both slip under the cap.
        var id = SessionStore.NewId();
        if (await quota.AdmitAsync(identity.Subject, id, isNew: true) is not { } evicted)
        {
            return TooManyConnectionsClose();
        }
        if (evicted.Count > 0)
        {
            Activity.Current?.SetTag(SpanAttributes.SessionsEvicted, evicted.Count);
            BackendTelemetry.EvictedSessions.Add(evicted.Count);
        }
        await sessions.CreateAsync(identity.Subject, epoch, connectionId, id);
        return new HandshakeOutcome(Welcome(id, identity, epoch, resumed: false, 0, reason, EventChain.Genesis(id)), 1);
    }

    private static HandshakeOutcome TooManyConnectionsClose()
    {
        Activity.Current?.SetTag(SpanAttributes.ErrorType, TooManyConnections);
        return HandshakeOutcome.Close(CloseCodes.TooManyConnections, TooManyConnectionsReason);
    }

    private WelcomeMessage Welcome(string id, TokenIdentity identity, string epoch, bool resumed, long replay, string? reason = null, string? chain = null) =>
        new(id, resumed, epoch, replay,
            (int)gateway.Value.HeartbeatInterval.TotalMilliseconds,
            identity.ExpiresAt.ToUnixTimeMilliseconds(),
            (long)sessionOptions.Value.ResumeWindow.TotalSeconds,
            reason,
            string.IsNullOrEmpty(chain) ? null : chain);
}
