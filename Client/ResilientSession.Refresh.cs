using System.Diagnostics;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

public sealed partial class ResilientSession
{
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private TaskCompletionSource<long>? _pendingRefresh;
    private long _tokenExpiresAtMs;
    private long _tokenLearnedAtMs;
    private long _tokenRefreshes;

    /// <summary>When the token in force expires, as the server last said (<c>welcome</c> or <c>refreshed</c>).</summary>
    public DateTimeOffset TokenExpiresAt => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _tokenExpiresAtMs));

    /// <summary>In-band refreshes the server confirmed with <c>refreshed</c>.</summary>
    public long TokenRefreshes => Interlocked.Read(ref _tokenRefreshes);

    /// <summary>
    /// Refreshes the access token in-band now (a new token from <see cref="ResilientSessionOptions.AccessTokenProvider"/>
    /// with <c>forceRefresh: true</c>, sent as <c>refresh</c>) and returns once the server answered <c>refreshed</c>.
    /// The session does this by itself ahead of expiry; call it when the application knows better
    /// (e.g. the user's rights changed).
    /// </summary>
    /// <exception cref="InvalidOperationException">Offline, or the server rejected the new token (<c>error invalid_token</c>).</exception>
    public Task RefreshTokenAsync(CancellationToken cancellationToken) =>
        _link is { } link ? RefreshInBandAsync(link, TokenRefreshTrigger.Manual, cancellationToken) : throw new InvalidOperationException("the session is offline");

    /// <summary>Whether the token in force is due for a refresh: then a reconnect asks for a new one before its hello.</summary>
    private bool TokenIsDue() =>
        Interlocked.Read(ref _tokenExpiresAtMs) is > 0 and var expires
        && _options.TimeProvider.GetUtcNow() >= RefreshAt(expires);

    private DateTimeOffset RefreshAt(long expiresAtMs) => TokenRefreshSchedule.RefreshAt(
        DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _tokenLearnedAtMs)),
        DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs), _options.TokenRefreshLead);

    private void OnTokenExpiry(long expiresAtMs)
    {
        Interlocked.Exchange(ref _tokenLearnedAtMs, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        Interlocked.Exchange(ref _tokenExpiresAtMs, expiresAtMs);
    }

    /// <summary>The link's refresh timer: refreshes whenever the token in force is due, until the link ends.</summary>
    private async Task RefreshAheadAsync(SessionLink link, CancellationToken cancellationToken)
    {
        // A welcome without an expiry (0): nothing to schedule against; token.expiring still works.
        if (Interlocked.Read(ref _tokenExpiresAtMs) <= 0) return;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = RefreshAt(Interlocked.Read(ref _tokenExpiresAtMs)) - _options.TimeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                // Woken at the due time of the token known now; a refresh meanwhile moves it, so look again.
                await Task.Delay(wait, _options.TimeProvider, cancellationToken);
                continue;
            }
            var before = Interlocked.Read(ref _tokenExpiresAtMs);
            if (!await TryRefreshAsync(link, TokenRefreshTrigger.Schedule, cancellationToken)
                || Interlocked.Read(ref _tokenExpiresAtMs) <= before)
            {
                // Rejected, or the provider had no newer token: the server closes 4001 at the old
                // token's expiry and the reconnect asks for a new one; refreshing again at once
                // would only spin (and flood the server with refresh frames).
                return;
            }
        }
    }

    /// <summary>The server warned of the expiry: refresh unless the timer already did.</summary>
    private void OnTokenExpiring(SessionLink link, TokenExpiringMessage expiring, CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _tokenExpiresAtMs) > expiring.ExpiresAt) return;
        _ = TryRefreshAsync(link, TokenRefreshTrigger.Expiring, cancellationToken, expiring.ExpiresAt);
    }

    private async Task<bool> TryRefreshAsync(SessionLink link, string trigger, CancellationToken cancellationToken, long? expiring = null)
    {
        try
        {
            await RefreshInBandAsync(link, trigger, cancellationToken, expiring);
            return true;
        }
        catch (Exception)
        {
            // Whatever failed — the link, the application's token provider, the server's answer —
            // the session must not: the span tells which, and the reconnect after the expiry
            // (4001) starts over with a fresh token. Nobody awaits a timer's or a warning's refresh.
            return false;
        }
    }

    /// <param name="expiring">For <see cref="TokenRefreshTrigger.Expiring"/>: the expiry the server warned of; a token that outlives it is not refreshed again.</param>
    private async Task RefreshInBandAsync(SessionLink link, string trigger, CancellationToken cancellationToken, long? expiring = null)
    {
        using var scope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, link.Lifetime.Token);
        // One refresh at a time: a second trigger that waited finds the token no longer due.
        await _refreshGate.WaitAsync(scope.Token);
        try
        {
            var known = Interlocked.Read(ref _tokenExpiresAtMs);
            var stillWanted = trigger switch
            {
                TokenRefreshTrigger.Schedule => _options.TimeProvider.GetUtcNow() >= RefreshAt(known),
                TokenRefreshTrigger.Expiring => known <= expiring,
                _ => true,
            };
            if (!stillWanted) return;
            var token = await _options.AccessTokenProvider(true, scope.Token);
            // The span covers the in-band part only (refresh sent → refreshed received), not the token grant.
            using var activity = ClientTelemetry.Source.StartActivity(ClientTelemetry.TokenRefreshSpan, ActivityKind.Client);
            activity?.SetTag(ClientTelemetry.TokenRefreshTrigger, trigger);
            activity?.SetTag(ClientTelemetry.SessionId, SessionId);
            var answer = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pendingRefresh, answer);
            try
            {
                await link.SendAsync(new RefreshMessage(token), scope.Token);
                OnTokenExpiry(await answer.Task.WaitAsync(scope.Token));
                Interlocked.Increment(ref _tokenRefreshes);
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                activity?.SetTag(ClientTelemetry.ErrorType, ex.GetType().Name);
                throw;
            }
            finally
            {
                Interlocked.CompareExchange(ref _pendingRefresh, null, answer);
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>The link ended: a refresh still waiting for its answer will not get one.</summary>
    private void FailPendingRefresh() =>
        Volatile.Read(ref _pendingRefresh)?.TrySetException(new IOException("the connection ended before the server answered the refresh"));

    private void OnRefreshAnswer(ServerMessage message)
    {
        var pending = Volatile.Read(ref _pendingRefresh);
        switch (message)
        {
            case RefreshedMessage refreshed when pending is not null:
                pending.TrySetResult(refreshed.TokenExpiresAt);
                break;
            case RefreshedMessage refreshed:
                OnTokenExpiry(refreshed.TokenExpiresAt);
                break;
            case ErrorMessage error:
                pending?.TrySetException(new InvalidOperationException($"the server rejected the refreshed token: {error.Message}"));
                break;
        }
    }
}
