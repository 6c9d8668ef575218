using System.Diagnostics;
using System.Text.RegularExpressions;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Sessions;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Answers a valid <c>hello</c>: checks its token, then decides what it attaches to — a new
/// session, the resumed one, or a fresh one with the reason the resume failed. A failed resume
/// is an answer, not a close; only a rejected token (4001, 4003), a foreign owner (4003) or a
/// client ahead of the server (4400) closes.
/// </summary>
public sealed partial class SessionHandshake(
    SessionStore sessions,
    AccessTokenValidator tokens,
    IOptions<GatewayOptions> gateway,
    IOptions<SessionStoreOptions> sessionOptions)
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SessionIdFormat();

    public async Task<HandshakeOutcome> AcceptAsync(HelloMessage hello, string connectionId, CancellationToken cancellationToken)
    {
        var check = await tokens.ValidateAsync(hello.Token, cancellationToken);
        if (check.Identity is not { } identity)
        {
            // Nothing is attached: an expired token leaves the session intact for the refreshed retry.
            var code = check.Failure == TokenFailure.Expired ? CloseCodes.TokenExpired : CloseCodes.Forbidden;
            return HandshakeOutcome.Close(code, "token rejected", check.Failure);
        }
        return await AttachAsync(hello, identity, connectionId) with { Identity = identity };
    }

    private async Task<HandshakeOutcome> AttachAsync(HelloMessage hello, TokenIdentity identity, string connectionId)
    {
        if (hello.SessionId is null)
        {
            return await FreshAsync(identity, connectionId, await sessions.GetEpochAsync(), reason: null);
        }
        if (!SessionIdFormat().IsMatch(hello.SessionId) || hello.LastSeq is < 0)
        {
            return HandshakeOutcome.Close(CloseCodes.MalformedHello, "malformed sessionId or lastSeq");
        }

        using var activity = BackendTelemetry.Source.StartActivity(SpanNames.SessionResume);
        var started = Stopwatch.GetTimestamp();
        var lastSeq = hello.LastSeq ?? 0;
        var attach = await sessions.AttachAsync(hello.SessionId, identity.Subject, lastSeq, connectionId);
        activity?.SetTag(SpanAttributes.SessionId, hello.SessionId);

        HandshakeOutcome outcome;
        switch (attach.Status)
        {
            case AttachStatus.Resumed:
                await sessions.AnnounceAttachAsync(hello.SessionId, connectionId);
                var replay = attach.Top - lastSeq;
                outcome = new HandshakeOutcome(Welcome(hello.SessionId, identity, attach.Epoch!, resumed: true, replay), lastSeq + 1);
                activity?.SetTag(SpanAttributes.SessionReplayCount, replay);
                BackendTelemetry.ReplayedEvents.Add(replay);
                break;
            case AttachStatus.Forbidden:
                outcome = HandshakeOutcome.Close(CloseCodes.Forbidden, "session belongs to another user");
                break;
            case AttachStatus.Ahead:
                outcome = HandshakeOutcome.Close(CloseCodes.MalformedHello, "lastSeq is ahead of the session");
                break;
            default:
                var epoch = await sessions.GetEpochAsync();
                var reason = FailureReason(attach.Status, hello.Epoch, epoch);
                activity?.SetTag(SpanAttributes.SessionResumeReason, reason);
                outcome = await FreshAsync(identity, connectionId, epoch, reason);
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
        AttachStatus.Gap => ResumeFailureReasons.Gap,
        // A session we do not know, from a client that saw another epoch: the store lost its data.
        _ when clientEpoch is not null && clientEpoch != storeEpoch => ResumeFailureReasons.Epoch,
        _ => ResumeFailureReasons.Unknown,
    };

    private async Task<HandshakeOutcome> FreshAsync(TokenIdentity identity, string connectionId, string epoch, string? reason)
    {
        var id = await sessions.CreateAsync(identity.Subject, epoch, connectionId);
        return new HandshakeOutcome(Welcome(id, identity, epoch, resumed: false, 0, reason), 1);
    }

    private WelcomeMessage Welcome(string id, TokenIdentity identity, string epoch, bool resumed, long replay, string? reason = null) =>
        new(id, resumed, epoch, replay,
            (int)gateway.Value.HeartbeatInterval.TotalMilliseconds,
            identity.ExpiresAt.ToUnixTimeMilliseconds(),
            (long)sessionOptions.Value.ResumeWindow.TotalSeconds,
            reason);
}
