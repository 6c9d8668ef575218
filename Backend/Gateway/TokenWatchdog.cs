using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Follows the expiry of a live connection's token: <c>token.expiring</c> at the lead time,
/// then the close (4001) at expiry plus the clock skew, unless a refresh re-arms it first.
/// </summary>
public sealed class TokenWatchdog(FrameSender sender, TimeProvider time, TimeSpan lead, TimeSpan grace, Func<Task> onExpired)
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _rearm;
    private DateTimeOffset _expiresAt;

    public void Rearm(DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            _expiresAt = expiresAt;
            _rearm?.Cancel();
        }
    }

    public async Task RunAsync(DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate) _expiresAt = expiresAt;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var rearm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            DateTimeOffset expiry;
            lock (_gate)
            {
                _rearm = rearm;
                expiry = _expiresAt;
            }
            try
            {
                await DelayUntilAsync(expiry - lead, rearm.Token);
                await sender.SendAsync(new TokenExpiringMessage(expiry.ToUnixTimeMilliseconds()), rearm.Token);
                await DelayUntilAsync(expiry + grace, rearm.Token);
                await onExpired();
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Refreshed: watch the new expiry.
            }
            finally
            {
                lock (_gate) _rearm = null;
            }
        }
    }

    private Task DelayUntilAsync(DateTimeOffset when, CancellationToken cancellationToken)
    {
        var wait = when - time.GetUtcNow();
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }
}
