using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

public sealed partial class ResilientSession
{
    /// <summary>The reconnect reason when the heartbeat found the link dead.</summary>
    private const string HeartbeatReason = "heartbeat";

    /// <summary>The reconnect reason when an event skipped a seq.</summary>
    private const string GapReason = "gap";

    /// <summary>Checks of the link per heartbeat interval: a dead link is found at most a quarter interval late.</summary>
    private const int ChecksPerHeartbeat = 4;

    private long _lastFrameTimestamp;
    private volatile bool _deadLink;
    private double _deadLinkSilenceMs;

    /// <summary>Serves one link until it drops. Returns the close code (null: no close frame) and a reason.</summary>
    private async Task<(int? CloseCode, string Reason)> ServeAsync(SessionLink link)
    {
        using var linkScope = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token, link.Lifetime.Token);
        var token = linkScope.Token;
        _lastFrameTimestamp = _options.TimeProvider.GetTimestamp();
        var heartbeat = HeartbeatAsync(link, token);
        var acks = AckAsync(link, token);
        var refreshAhead = RefreshAheadAsync(link, token);
        try
        {
            while (true)
            {
                var message = await link.ReceiveAsync(token);
                _lastFrameTimestamp = _options.TimeProvider.GetTimestamp();
                if (message is null)
                {
                    return ((int?)link.Socket.CloseStatus, link.Socket.CloseStatusDescription ?? "closed");
                }
                if (await HandleAsync(link, message, token) is { } drop)
                {
                    link.Abort();
                    return (null, drop);
                }
            }
        }
        catch (Exception ex) when (!_disposed.IsCancellationRequested)
        {
            // Whatever broke the link (socket error, abort, a frame we cannot read), the cure is
            // the same: reconnect and resume from LastSeq.
            return (null, _deadLink ? HeartbeatReason : ex.GetType().Name);
        }
        finally
        {
            FailPendingRefresh();
            await linkScope.CancelAsync();
            await Task.WhenAll(heartbeat, acks, refreshAhead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _deadLink = false;
        }
    }

    /// <returns>Why the link must be dropped (an event skipped a seq, or broke the chain), or null to go on.</returns>
    private async Task<string?> HandleAsync(SessionLink link, ServerMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case EventMessage e when e.Seq <= LastSeq:
                DuplicatesDropped++;
                return null;
            case EventMessage e when e.Seq != LastSeq + 1:
                GapsDetected++;
                return GapReason;
            case EventMessage e:
                if (!ChainAccepts(e)) return ClientTelemetry.ChainMismatchReason;
                Interlocked.Exchange(ref _lastSeq, e.Seq);
                if (e.RunId is not null) ForgetPrompt(e.RunId);
                _events.Writer.TryWrite(e);
                // A run ended: room for a prompt the server refused as one too many.
                if (e.Kind == EventKinds.StreamEnd) await ResendOneRefusedPromptAsync(link, cancellationToken);
                return null;
            case SnapshotMessage snapshot:
                return OnSnapshot(snapshot) ? null : ClientTelemetry.ChainMismatchReason;
            case TokenExpiringMessage expiring:
                OnTokenExpiring(link, expiring, cancellationToken);
                return null;
            case RefreshedMessage or ErrorMessage { Code: ErrorCodes.InvalidToken }:
                OnRefreshAnswer(message);
                return null;
            case ErrorMessage error:
                // Told, not swallowed: the application shows why a prompt got no answer.
                _connection.Writer.TryWrite(new ServerError(error.Code, error.Message, error.Retryable, error.PromptId));
                if (error is { Code: ErrorCodes.TooManyRuns, PromptId: { } refused }) OnPromptRefused(link, refused, cancellationToken);
                return null;
            default:
                return null; // pong: nothing to do beyond having heard from the server
        }
    }

    private async Task HeartbeatAsync(SessionLink link, CancellationToken cancellationToken)
    {
        if (_heartbeatMs <= 0) return;
        var interval = TimeSpan.FromMilliseconds(_heartbeatMs);
        var deadAfter = interval * _options.DeadLinkHeartbeats;
        // Pings go out once per interval; the silence is checked more often, so detection is not
        // late by up to a whole interval.
        using var timer = new PeriodicTimer(interval / ChecksPerHeartbeat, _options.TimeProvider);
        for (var tick = 1; await timer.WaitForNextTickAsync(cancellationToken); tick++)
        {
            var silence = _options.TimeProvider.GetElapsedTime(_lastFrameTimestamp);
            if (silence > deadAfter)
            {
                // Nothing at all from the server (not even a pong): the link is dead even if TCP has not noticed.
                _deadLinkSilenceMs = silence.TotalMilliseconds;
                _deadLink = true;
                link.Abort();
                return;
            }
            if (tick % ChecksPerHeartbeat == 0)
            {
                await link.SendAsync(new PingMessage(_options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);
            }
        }
    }

    private async Task AckAsync(SessionLink link, CancellationToken cancellationToken)
    {
        var acked = LastSeq;
        using var timer = new PeriodicTimer(_options.AckInterval, _options.TimeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var last = LastSeq;
            if (last > acked)
            {
                await link.SendAsync(new AckMessage(last), cancellationToken);
                acked = last;
            }
        }
    }

    private async Task TrySendAsync(ClientMessage message, CancellationToken cancellationToken)
    {
        if (_link is not { } link) return;
        try
        {
            await link.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Offline: the prompt stays pending and goes out after the reconnect.
        }
    }

    private async Task ResendPendingPromptsAsync(SessionLink link, CancellationToken cancellationToken)
    {
        PromptMessage[] pending;
        lock (_pendingPrompts)
        {
            pending = [.. _pendingPrompts];
            _refusedPrompts.Clear();
        }
        foreach (var prompt in pending)
        {
            await link.SendAsync(prompt, cancellationToken);
        }
    }

    private void ForgetPrompt(string runId)
    {
        lock (_pendingPrompts) _pendingPrompts.RemoveAll(p => p.Id == runId);
    }
}
