using System.Net.WebSockets;
using System.Text.RegularExpressions;
using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;
using StackExchange.Redis;

namespace AspireResilience.Backend.Gateway;

public sealed partial class GatewayConnection
{
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex PromptIdFormat();

    private async Task OnPromptAsync(PromptMessage prompt)
    {
        if (!PromptIdFormat().IsMatch(prompt.Id) || prompt.Text.Length == 0 || prompt.Text.Length > _d.Options.MaxPromptChars)
        {
            await RejectFrameAsync(ErrorCodes.InvalidMessage,
                $"prompt id must match [A-Za-z0-9._:-]{{1,64}} and text be 1..{_d.Options.MaxPromptChars} characters");
            return;
        }
        switch (await _d.Runs.StartAsync(SessionId!, Identity!.Subject, prompt.Id, prompt.Text))
        {
            case StartRunResult.Started:
                _d.AgentRuns.Start(SessionId!, prompt.Id);
                break;
            case StartRunResult.SessionGone:
                // The store lost the session under us (e.g. Redis restarted empty): a reconnect
                // tells the client so with resumed:false.
                await CloseAsync(CloseCodes.TryAgainLater, "session no longer exists");
                break;
            // Duplicate: the run already exists and its events are (or will be) in the outbox.
        }
    }

    private async Task OnAckAsync(AckMessage ack)
    {
        if (ack.Seq < 0 || !await _d.Sessions.AckAsync(SessionId!, ack.Seq))
        {
            await RejectFrameAsync(ErrorCodes.InvalidAck, "ack seq is beyond the last event sent");
        }
    }

    private async Task OnRefreshAsync(RefreshMessage refresh)
    {
        using var activity = BackendTelemetry.Source.StartActivity("token.refresh");
        activity?.SetTag("session.id", SessionId);
        var check = await _d.Tokens.ValidateAsync(refresh.Token, _lifetime.Token);
        activity?.SetTag("token.failure", check.Failure.ToString());
        if (check.Failure == TokenFailure.Revoked || (check.Identity is { } other && other.Subject != Identity!.Subject))
        {
            await CloseAsync(CloseCodes.Forbidden, "token revoked or of another user");
            return;
        }
        if (check.Identity is null)
        {
            // The old token stays in force until its own expiry.
            await RejectFrameAsync(ErrorCodes.InvalidToken, "refresh token is invalid or expired");
            return;
        }
        Identity = check.Identity;
        await _sender.SendAsync(new RefreshedMessage(check.Identity.ExpiresAt.ToUnixTimeMilliseconds()), _lifetime.Token);
        _watchdog.Rearm(check.Identity.ExpiresAt);
    }

    /// <summary>Closes with 4003 if this connection runs on a revoked token or family.</summary>
    public Task OnRevokedAsync(string? familyId, string? tokenId)
    {
        var identity = Identity;
        var hit = identity is not null
            && ((familyId is not null && familyId == identity.FamilyId) || (tokenId is not null && tokenId == identity.TokenId));
        return hit ? CloseAsync(CloseCodes.Forbidden, "token revoked") : Task.CompletedTask;
    }

    private async Task TeardownAsync()
    {
        _d.Registry.Remove(this);
        BackendTelemetry.ActiveConnections.Add(-1);
        var code = _sender.CloseCode != 0 ? _sender.CloseCode : (int?)_socket.CloseStatus ?? 1006;
        using (var activity = BackendTelemetry.Source.StartActivity("ws.close"))
        {
            activity?.SetTag("code", code);
            activity?.SetTag("session.id", SessionId);
        }
        if (SessionId is null) return;
        try
        {
            if (_notifyHandler is not null)
            {
                await _d.Subscriber.UnsubscribeAsync(RedisChannel.Literal(Sessions.SessionKeys.Channel(SessionId)), _notifyHandler);
            }
            await _d.Sessions.DetachAsync(SessionId, Id);
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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connection {ConnectionId} closing with {Code}: {Reason}")]
    private static partial void LogClosing(ILogger logger, string connectionId, int code, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Connection {ConnectionId} socket failed: {Error}")]
    private static partial void LogSocketFailed(ILogger logger, string connectionId, WebSocketError error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Connection {ConnectionId} failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: session store unavailable ({Error})")]
    private static partial void LogRedisUnavailable(ILogger logger, string connectionId, string error);
}
