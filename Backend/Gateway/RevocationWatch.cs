using System.Diagnostics;
using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Sessions;

namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Re-checks a live connection's token against the revocation list in Redis. The first check runs
/// as soon as the connection is registered: a revocation published between the hello's token check
/// and the registration found no socket to close (<see cref="RevocationListener"/>), but its key is
/// already written. Then one check every <see cref="TokenValidationOptions.RevocationCheckInterval"/>
/// covers a pub/sub message lost while Redis reconnected.
/// </summary>
public sealed class RevocationWatch(AccessTokenValidator tokens, Func<TokenIdentity> identity, TimeSpan interval, TimeProvider time, Func<Task> onRevoked)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Upkeep: its Redis commands make no spans (parentless ones are dropped).
        Activity.Current = null;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            bool revoked;
            try
            {
                revoked = await tokens.IsRevokedAsync(identity());
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                // The outbox pump closes 1013 on a lasting outage; the next tick checks again.
                continue;
            }
            if (revoked)
            {
                await onRevoked();
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}
