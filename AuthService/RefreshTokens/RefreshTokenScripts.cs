using static AspireResilience.AuthService.AuthRedisKeys;
using static AspireResilience.Contracts.RevocationContract;

namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>
/// The Lua scripts behind refresh tokens. Redis runs a script atomically, so "check used, then
/// mark used and store the successor" cannot interleave with a concurrent use of the same token:
/// of two racing requests exactly one rotates and the other sees <c>used</c> and revokes the family.
/// Family keys are derived inside the scripts from the family id, under the same hash tag as the
/// tokens named in KEYS (<see cref="AuthRedisKeys"/>), so each script touches one cluster slot.
/// </summary>
internal static class RefreshTokenScripts
{
    // Shared by both scripts: mark the family revoked (read by rotation) and publish the
    // revoked-family key the Backend checks on hello. ttl = the refresh lifetime, which outlives
    // every token of the family.
    private const string RevokeFamilyFunction = $$"""
        local function revoke_family(fid, sub, ttl)
          local family = '{{RefreshFamilyPrefix}}{' .. fid .. '}'
          redis.call('HSET', family, 'sub', sub, 'revoked', '1')
          redis.call('PEXPIRE', family, ttl)
          redis.call('SET', '{{RevokedFamilyPrefix}}{' .. fid .. '}', sub, 'PX', ttl)
        end
        """;

    /// <summary>
    /// KEYS: token, family. ARGV: sub, familyId, token expiresAt (unix ms), token ttl (ms),
    /// family expiresAt (unix ms, the absolute end of the family), family ttl (ms).
    /// </summary>
    public const string StartFamily = """
        redis.call('HSET', KEYS[2], 'sub', ARGV[1], 'revoked', '0', 'expiresAt', ARGV[5])
        redis.call('PEXPIRE', KEYS[2], ARGV[6])
        redis.call('HSET', KEYS[1], 'sub', ARGV[1], 'familyId', ARGV[2], 'expiresAt', ARGV[3], 'used', '0')
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """;

    /// <summary>
    /// KEYS: presented token, successor token. ARGV: now (unix ms), successor expiresAt (unix ms), ttl (ms),
    /// reuse grace (ms, 0 = none).
    /// Returns {outcome, sub, familyId}; outcome is rotated | rotated_again | reused | family_revoked | expired | unknown.
    /// The successor never outlives the family's absolute end (its <c>expiresAt</c>); a family
    /// past its end rotates no more (<c>expired</c>).
    /// A used token presented again within the grace of its first use, while the successor it was
    /// rotated to is still unused, is a client retrying an answer it never got (the AuthService
    /// died, the network dropped it): it is rotated again (<c>rotated_again</c>) and the lost
    /// successor becomes used, so any later use of it is reuse. Past the grace, or once the
    /// successor has been used, a second use is reuse and ends the family.
    /// </summary>
    public const string Rotate = RevokeFamilyFunction + $$"""

        local token = redis.call('HMGET', KEYS[1], 'sub', 'familyId', 'expiresAt', 'used', 'usedAt', 'successor')
        local sub, fid, expires_at, used = token[1], token[2], token[3], token[4]
        if not sub or not fid then
          return {'unknown'}
        end
        local family = '{{RefreshFamilyPrefix}}{' .. fid .. '}'
        local family_state = redis.call('HMGET', family, 'revoked', 'expiresAt')
        if family_state[1] == '1' then
          return {'family_revoked', sub, fid}
        end
        local family_end = tonumber(family_state[2])
        if family_end and family_end <= tonumber(ARGV[1]) then
          return {'expired', sub, fid}
        end
        local again = false
        if used == '1' then
          local used_at, successor, grace = tonumber(token[5]), token[6], tonumber(ARGV[4])
          -- The successor shares this token's hash tag (its family's), so it lives in this slot.
          if grace > 0 and used_at and successor and tonumber(ARGV[1]) - used_at <= grace
             and redis.call('HGET', successor, 'used') == '0' then
            redis.call('HSET', successor, 'used', '1')
            again = true
          else
            revoke_family(fid, sub, ARGV[3])
            return {'reused', sub, fid}
          end
        end
        if tonumber(expires_at) <= tonumber(ARGV[1]) then
          return {'expired', sub, fid}
        end
        local successor_end = tonumber(ARGV[2])
        local successor_ttl = tonumber(ARGV[3])
        if family_end and family_end < successor_end then
          successor_ttl = successor_ttl - (successor_end - family_end)
          successor_end = family_end
        end
        if again then
          -- The grace still runs from the first use: retries cannot stretch it.
          redis.call('HSET', KEYS[1], 'successor', KEYS[2])
        else
          redis.call('HSET', KEYS[1], 'used', '1', 'usedAt', ARGV[1], 'successor', KEYS[2])
        end
        redis.call('HSET', KEYS[2], 'sub', sub, 'familyId', fid, 'expiresAt', string.format('%d', successor_end), 'used', '0')
        redis.call('PEXPIRE', KEYS[2], successor_ttl)
        if family_end then
          redis.call('PEXPIREAT', family, string.format('%d', family_end))
        else
          -- A family from before absolute lifetimes: it slides as it always did.
          redis.call('PEXPIRE', family, ARGV[3])
        end
        return {again and 'rotated_again' or 'rotated', sub, fid}
        """;

    /// <summary>KEYS: family, revoked-family (declared, so a cluster routes the script to their slot). ARGV: familyId, sub, ttl (ms).</summary>
    public const string RevokeFamily = RevokeFamilyFunction + """

        revoke_family(ARGV[1], ARGV[2], ARGV[3])
        return 1
        """;
}
