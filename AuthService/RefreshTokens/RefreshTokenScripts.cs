using static AspireResilience.AuthService.AuthRedisKeys;
using static AspireResilience.Contracts.RevocationContract;

namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>
/// The Lua scripts behind refresh tokens. Redis runs a script atomically, so "check used, then
/// mark used and store the successor" cannot interleave with a concurrent use of the same token:
/// of two racing requests exactly one rotates and the other sees <c>used</c> and revokes the family.
/// Family keys are derived inside the scripts (fine on a single Redis node, which is what runs here).
/// </summary>
internal static class RefreshTokenScripts
{
    // Shared by both scripts: mark the family revoked (read by rotation) and publish the
    // revoked-family key the Backend checks on hello. ttl = the refresh lifetime, which outlives
    // every token of the family.
    private const string RevokeFamilyFunction = $$"""
        local function revoke_family(fid, sub, ttl)
          local family = '{{RefreshFamilyPrefix}}' .. fid
          redis.call('HSET', family, 'sub', sub, 'revoked', '1')
          redis.call('PEXPIRE', family, ttl)
          redis.call('SET', '{{RevokedFamilyPrefix}}' .. fid, sub, 'PX', ttl)
        end
        """;

    /// <summary>KEYS: token, family. ARGV: sub, familyId, expiresAt (unix ms), ttl (ms).</summary>
    public const string StartFamily = """
        redis.call('HSET', KEYS[2], 'sub', ARGV[1], 'revoked', '0')
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('HSET', KEYS[1], 'sub', ARGV[1], 'familyId', ARGV[2], 'expiresAt', ARGV[3], 'used', '0')
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """;

    /// <summary>
    /// KEYS: presented token, successor token. ARGV: now (unix ms), successor expiresAt (unix ms), ttl (ms).
    /// Returns {outcome, sub, familyId}; outcome is rotated | reused | family_revoked | expired | unknown.
    /// </summary>
    public const string Rotate = RevokeFamilyFunction + $$"""

        local token = redis.call('HMGET', KEYS[1], 'sub', 'familyId', 'expiresAt', 'used')
        local sub, fid, expires_at, used = token[1], token[2], token[3], token[4]
        if not sub or not fid then
          return {'unknown'}
        end
        if redis.call('HGET', '{{RefreshFamilyPrefix}}' .. fid, 'revoked') == '1' then
          return {'family_revoked', sub, fid}
        end
        if used == '1' then
          revoke_family(fid, sub, ARGV[3])
          return {'reused', sub, fid}
        end
        if tonumber(expires_at) <= tonumber(ARGV[1]) then
          return {'expired', sub, fid}
        end
        redis.call('HSET', KEYS[1], 'used', '1')
        redis.call('HSET', KEYS[2], 'sub', sub, 'familyId', fid, 'expiresAt', ARGV[2], 'used', '0')
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        redis.call('PEXPIRE', '{{RefreshFamilyPrefix}}' .. fid, ARGV[3])
        return {'rotated', sub, fid}
        """;

    /// <summary>ARGV: familyId, sub, ttl (ms).</summary>
    public const string RevokeFamily = RevokeFamilyFunction + """

        revoke_family(ARGV[1], ARGV[2], ARGV[3])
        return 1
        """;
}
