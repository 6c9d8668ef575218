using System.Diagnostics;
using System.Text.RegularExpressions;
using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Sessions;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// A connection attached to its session, from just before the welcome to the teardown. It hears
/// the session's channel (subscribed before the welcome goes out, so no append or takeover after
/// it goes unnoticed), keeps the session going (<see cref="SessionUpkeep"/>) and answers the
/// client's requests: prompts start runs, acks trim the outbox, refreshes replace the token.
/// </summary>
public sealed partial class SessionAttachment : IAsyncDisposable
{
    /// <summary><c>error.type</c> of a refresh with a valid token of another user.</summary>
    private const string ForeignTokenError = "Foreign";

    private readonly GatewayConnection _connection;
    private readonly SessionStore _sessions;
    private readonly UserQuota _quota;
    private readonly AgentRunService _agentRuns;
    private readonly AccessTokenValidator _tokens;
    private readonly int _maxPromptChars;
    private readonly SessionUpkeep _upkeep;
    private RevocationWatch? _revocations;
    private SessionSubscription? _subscription;

    private SessionAttachment(GatewayConnection connection, string sessionId, TokenIdentity identity, SessionStore sessions, UserQuota quota,
        AgentRunService agentRuns, AccessTokenValidator tokens, int maxPromptChars, SessionUpkeep upkeep)
    {
        _connection = connection;
        SessionId = sessionId;
        Identity = identity;
        _sessions = sessions;
        _quota = quota;
        _agentRuns = agentRuns;
        _tokens = tokens;
        _maxPromptChars = maxPromptChars;
        _upkeep = upkeep;
    }

    public string SessionId { get; }

    /// <summary>The token in force; a refresh replaces it.</summary>
    public TokenIdentity Identity { get; private set; }

    /// <summary>Attaches <paramref name="connection"/> to the session the handshake chose; send the welcome only after this returns.</summary>
    public static async Task<SessionAttachment> AttachAsync(
        GatewayConnection connection, HandshakeOutcome outcome, SessionStore sessions, UserQuota quota, AgentRunService agentRuns,
        AccessTokenValidator tokens, ISubscriber subscriber, GatewayOptions options, TimeSpan clockSkew, TimeProvider time, ILogger logger)
    {
        var sessionId = outcome.Welcome!.SessionId;
        var upkeep = new SessionUpkeep(sessions, quota, outcome.Identity!.Subject, connection.Sender, options, clockSkew, time, logger,
            connection.Trace, connection.Id, sessionId, outcome.NextSeq, outcome.Welcome.ReplayCount, connection.CloseAsync);
        var attachment = new SessionAttachment(connection, sessionId, outcome.Identity!, sessions, quota, agentRuns, tokens, options.MaxPromptChars, upkeep);
        attachment._revocations = new RevocationWatch(tokens, () => attachment.Identity, tokens.RevocationCheckInterval, time,
            () => attachment.CloseRevokedAsync(RevocationCheckSource));
        attachment._subscription = await SessionSubscription.SubscribeAsync(subscriber, sessionId, connection.Id, upkeep.Wake, attachment.OnSuperseded);
        // A connection that attached between our attach and our subscription announced itself
        // before we listened: the session's owner field is then the only witness. Without this
        // check two racing resumes could both stay attached.
        if (!await sessions.TouchAsync(sessionId, connection.Id))
        {
            attachment.OnSuperseded();
        }
        return attachment;
    }

    /// <summary>The close reason of a connection whose token was revoked.</summary>
    public const string RevokedReason = "token revoked";

    public Task RunUpkeepAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_upkeep.RunAsync(Identity.ExpiresAt, cancellationToken), _revocations!.RunAsync(cancellationToken));

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex PromptIdFormat();

    public async Task OnPromptAsync(PromptMessage prompt, CancellationToken cancellationToken)
    {
        if (!PromptIdFormat().IsMatch(prompt.Id) || prompt.Text.Length == 0 || prompt.Text.Length > _maxPromptChars)
        {
            await _connection.RejectFrameAsync(ErrorCodes.InvalidMessage,
                $"prompt id must match [A-Za-z0-9._:-]{{1,64}} and text be 1..{_maxPromptChars} characters");
            return;
        }
        // Started runs here; a duplicate's events are (or will be) in the outbox already, and a
        // superseded connection's late prompt is dropped (its 4000 close is on the way).
        switch (await _agentRuns.StartAsync(SessionId, Identity.Subject, _connection.Id, prompt.Id, prompt.Text))
        {
            case StartRunResult.SessionGone:
                // The store lost the session under us (e.g. Redis restarted empty): a reconnect
                // tells the client so with resumed:false.
                await _connection.CloseAsync(CloseCodes.TryAgainLater, "session no longer exists");
                break;
            case StartRunResult.TooManyRuns:
                // A quota, not a bad frame: no strike. Nothing was recorded, so the same id may come again.
                await _connection.Sender.SendAsync(new ErrorMessage(ErrorCodes.TooManyRuns,
                    $"prompt {prompt.Id}: this session already streams its maximum of runs; send it again once one ends", Retryable: true, prompt.Id),
                    cancellationToken);
                break;
        }
    }

    public async Task OnAckAsync(AckMessage ack)
    {
        // Acks come several times a second while events flow: as children of ws.connection their
        // Redis spans would pile up for the connection's whole life (the instrumentation keeps a
        // parent's commands until it ends). Outside any span they make no trace at all.
        Activity.Current = null;
        // A superseded connection's late ack is dropped: its 4000 close is on the way.
        if (ack.Seq < 0 || await _sessions.AckAsync(SessionId, _connection.Id, ack.Seq) == AckResult.Ahead)
        {
            await _connection.RejectFrameAsync(ErrorCodes.InvalidAck, "ack seq is beyond the last event sent");
        }
    }

    public async Task OnRefreshAsync(RefreshMessage refresh, CancellationToken cancellationToken)
    {
        using var activity = BackendTelemetry.Source.StartActivity(SpanNames.TokenRefresh);
        activity?.SetTag(SpanAttributes.SessionId, SessionId);
        var check = await _tokens.ValidateAsync(refresh.Token, cancellationToken);
        var foreign = check.Identity is { } other && other.Subject != Identity.Subject;
        if (check.Identity is null || foreign)
        {
            activity?.SetTag(SpanAttributes.ErrorType, foreign ? ForeignTokenError : check.Failure.ToString());
            activity?.SetStatus(ActivityStatusCode.Error, "token rejected");
        }
        if (check.Failure == TokenFailure.Revoked || foreign)
        {
            await _connection.CloseAsync(CloseCodes.Forbidden, "token revoked or of another user");
            return;
        }
        if (check.Identity is null)
        {
            // The old token stays in force until its own expiry.
            await _connection.RejectFrameAsync(ErrorCodes.InvalidToken, "refresh token is invalid or expired");
            return;
        }
        Identity = check.Identity;
        await _connection.Sender.SendAsync(new RefreshedMessage(check.Identity.ExpiresAt.ToUnixTimeMilliseconds()), cancellationToken);
        _upkeep.Rearm(check.Identity.ExpiresAt);
    }

    /// <summary>Whether a revocation of <paramref name="familyId"/> or <paramref name="tokenId"/> hits the token in force.</summary>
    public bool IsRevokedBy(string? familyId, string? tokenId) =>
        (familyId is not null && familyId == Identity.FamilyId) || (tokenId is not null && tokenId == Identity.TokenId);

    /// <summary><see cref="SpanAttributes.RevocationSource"/> of a revocation found by the connection's own re-check.</summary>
    public const string RevocationCheckSource = "check";

    /// <summary><see cref="SpanAttributes.RevocationSource"/> of a revocation announced on the AuthService's channel.</summary>
    public const string RevocationPubSubSource = "pubsub";

    /// <summary>Closes 4003 because the token in force was revoked; the span times it from notice to close frame.</summary>
    public async Task CloseRevokedAsync(string source)
    {
        using var activity = _connection.Trace.StartChild(SpanNames.SessionRevoked);
        activity?.SetTag(SpanAttributes.SessionId, SessionId);
        activity?.SetTag(SpanAttributes.RevocationSource, source);
        await _connection.CloseAsync(CloseCodes.Forbidden, RevokedReason);
    }

    /// <summary>A newer connection attached to the session (called on a Redis thread, hence the explicit parent span).</summary>
    private void OnSuperseded()
    {
        using var activity = _connection.Trace.StartChild(SpanNames.SessionSuperseded);
        activity?.SetTag(SpanAttributes.SessionId, SessionId);
        _ = _connection.CloseAsync(CloseCodes.Superseded, "superseded by a newer connection");
    }

    /// <summary>Stops listening and detaches, so the resume window starts now.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_subscription is not null)
            {
                await _subscription.DisposeAsync();
            }
            if (await _sessions.DetachAsync(SessionId, _connection.Id))
            {
                // Only the connection that still owned the session frees its place: a superseded
                // one's successor holds it now.
                await _quota.ReleaseAsync(Identity.Subject, SessionId);
            }
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            // The resume window is measured from the last activity Redis saw; nothing else to do.
        }
    }
}
