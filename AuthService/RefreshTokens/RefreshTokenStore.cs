using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>
/// Refresh tokens in Redis: <c>auth:refresh:{sha256}</c> (sub, familyId, expiresAt, used) and
/// <c>auth:refresh-family:{familyId}</c> (sub, revoked, expiresAt), both with TTLs. Tokens slide: each
/// rotation gets a full <see cref="AuthOptions.RefreshTokenLifetime"/>, but never past the family's
/// absolute end (<see cref="AuthOptions.RefreshFamilyLifetime"/> after the login).
/// </summary>
public sealed class RefreshTokenStore(IConnectionMultiplexer redis, IOptionsMonitor<AuthOptions> options, TimeProvider timeProvider)
{
    /// <summary>Starts a family (one per password login) with its first token.</summary>
    public async Task<IssuedRefreshToken> StartFamilyAsync(string subject, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var familyId = RefreshTokenCodec.NewFamilyId();
        var token = RefreshTokenCodec.NewToken(familyId);
        var settings = options.CurrentValue;
        var (lifetime, familyLifetime) = (settings.RefreshTokenLifetime, settings.RefreshFamilyLifetime);
        await redis.GetDatabase().ScriptEvaluateAsync(
            RefreshTokenScripts.StartFamily,
            [AuthRedisKeys.RefreshToken(familyId, RefreshTokenCodec.Hash(token)), AuthRedisKeys.RefreshFamily(familyId)],
            [subject, familyId, ExpiresAtMs(lifetime), (long)lifetime.TotalMilliseconds,
                ExpiresAtMs(familyLifetime), (long)familyLifetime.TotalMilliseconds]);
        return new IssuedRefreshToken(token, familyId);
    }

    /// <summary>
    /// Presents a refresh token: rotates it, or reports why not (revoking the family on reuse).
    /// </summary>
    public async Task<RefreshTokenRotation> RotateAsync(string token, CancellationToken cancellationToken)
    {
        // Checked only before sending: abandoning the script mid-flight would not undo it, it
        // would just lose the successor token.
        cancellationToken.ThrowIfCancellationRequested();
        if (RefreshTokenCodec.FamilyIdOf(token) is not { } familyId)
        {
            return RefreshTokenRotation.FromScript("unknown", null, null, "");
        }
        var successor = RefreshTokenCodec.NewToken(familyId);
        var lifetime = options.CurrentValue.RefreshTokenLifetime;
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            RefreshTokenScripts.Rotate,
            [AuthRedisKeys.RefreshToken(familyId, RefreshTokenCodec.Hash(token)), AuthRedisKeys.RefreshToken(familyId, RefreshTokenCodec.Hash(successor))],
            [timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), ExpiresAtMs(lifetime), (long)lifetime.TotalMilliseconds,
                (long)options.CurrentValue.RefreshReuseGrace.TotalMilliseconds]);
        var fields = (RedisResult[])result!;
        return RefreshTokenRotation.FromScript(
            (string)fields[0]!,
            fields.Length > 1 ? (string?)fields[1] : null,
            fields.Length > 2 ? (string?)fields[2] : null,
            successor);
    }

    /// <summary>The family of a stored token (used or not), or null if Redis does not know it.</summary>
    public async Task<RefreshTokenFamily?> FindFamilyAsync(string token, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (RefreshTokenCodec.FamilyIdOf(token) is not { } familyId) return null;
        var fields = await redis.GetDatabase().HashGetAsync(
            AuthRedisKeys.RefreshToken(familyId, RefreshTokenCodec.Hash(token)), ["familyId", "sub"]);
        return fields[0].IsNullOrEmpty || fields[1].IsNullOrEmpty ? null : new RefreshTokenFamily(fields[0]!, fields[1]!);
    }

    /// <summary>Marks the family revoked and writes <c>auth:revoked-family:{familyId}</c>; idempotent.</summary>
    public async Task RevokeFamilyAsync(RefreshTokenFamily family, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await redis.GetDatabase().ScriptEvaluateAsync(
            RefreshTokenScripts.RevokeFamily,
            keys: [AuthRedisKeys.RefreshFamily(family.FamilyId), Contracts.RevocationContract.RevokedFamily(family.FamilyId)],
            values: [family.FamilyId, family.Subject, (long)options.CurrentValue.RefreshTokenLifetime.TotalMilliseconds]);
    }

    /// <summary>
    /// Every family not revoked yet, read with SCAN (no server-blocking KEYS) from each primary:
    /// on a cluster each master holds its own slots' families.
    /// </summary>
    public async IAsyncEnumerable<RefreshTokenFamily> LiveFamiliesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        foreach (var server in redis.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: AuthRedisKeys.RefreshFamilyPrefix + "*").WithCancellation(cancellationToken))
            {
                var fields = await db.HashGetAsync(key, ["sub", "revoked"]);
                if (fields[0].IsNullOrEmpty || fields[1] == "1") continue;
                yield return new RefreshTokenFamily(AuthRedisKeys.FamilyIdOfKey(key.ToString()), fields[0]!);
            }
        }
    }

    private long ExpiresAtMs(TimeSpan lifetime) => (timeProvider.GetUtcNow() + lifetime).ToUnixTimeMilliseconds();
}
