using System.Text.RegularExpressions;
using AspireResilience.Backend.Agents;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Telemetry;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>What a live connection does with each client frame, and with news from outside (revocations, a newer connection).</summary>
public sealed partial class GatewayConnection
{
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex PromptIdFormat();

    private async Task OnPromptAsync(PromptMessage prompt)
    {
        if (!PromptIdFormat().IsMatch(prompt.Id) || prompt.Text.Length == 0 || prompt.Text.Length > _options.MaxPromptChars)
        {
            await RejectFrameAsync(ErrorCodes.InvalidMessage,
                $"prompt id must match [A-Za-z0-9._:-]{{1,64}} and text be 1..{_options.MaxPromptChars} characters");
            return;
        }
        // Started runs here; a duplicate's events are (or will be) in the outbox already.
        if (await agentRuns.StartAsync(SessionId!, Identity!.Subject, prompt.Id, prompt.Text) == StartRunResult.SessionGone)
        {
            // The store lost the session under us (e.g. Redis restarted empty): a reconnect
            // tells the client so with resumed:false.
            await CloseAsync(CloseCodes.TryAgainLater, "session no longer exists");
        }
    }

    private async Task OnAckAsync(AckMessage ack)
    {
        if (ack.Seq < 0 || !await sessions.AckAsync(SessionId!, ack.Seq))
        {
            await RejectFrameAsync(ErrorCodes.InvalidAck, "ack seq is beyond the last event sent");
        }
    }

    private async Task OnRefreshAsync(RefreshMessage refresh)
    {
        using var activity = BackendTelemetry.Source.StartActivity("token.refresh");
        activity?.SetTag("session.id", SessionId);
        var check = await tokens.ValidateAsync(refresh.Token, _lifetime.Token);
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
        _watchdog!.Rearm(check.Identity.ExpiresAt);
    }

    /// <summary>Closes with 4003 if this connection runs on a revoked token or family.</summary>
    public Task OnRevokedAsync(string? familyId, string? tokenId)
    {
        var identity = Identity;
        var hit = identity is not null
            && ((familyId is not null && familyId == identity.FamilyId) || (tokenId is not null && tokenId == identity.TokenId));
        return hit ? CloseAsync(CloseCodes.Forbidden, "token revoked") : Task.CompletedTask;
    }

    /// <summary>A newer connection attached to the session (called on a Redis thread).</summary>
    private void OnSuperseded()
    {
        using var activity = BackendTelemetry.Source.StartActivity("session.superseded");
        activity?.SetTag("session.id", SessionId);
        _ = CloseAsync(CloseCodes.Superseded, "superseded by a newer connection");
    }
}
