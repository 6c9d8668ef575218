namespace AspireResilience.Backend.Sessions;

/// <summary>
/// The continuity chain (<see cref="Protocol.EventChain"/>, docs/protocol.md <i>Chain</i>) in
/// Lua, prepended to the scripts that append events, trim the outbox or check a resume, so the
/// value is computed once where the event is written and stored with it. Redis 7.0 has
/// <c>redis.sha1hex</c> and no SHA-256, hence SHA-1: it detects accidents between a trusted
/// server and its client, not forgeries.
/// </summary>
internal static class ChainLua
{
    /// <summary>
    /// <c>chain_digest(...)</c>: base64url (no padding) of the first 16 bytes of SHA-1 over the
    /// fields, each as "byte length:bytes". <c>chain_genesis(sessionId)</c>: the chain before seq 1.
    /// <c>chain_at(session, outbox, seq, sessionId)</c>: the chain the store holds for seq (the
    /// outbox entry's, or the session's base: the newest event no longer in the outbox), or false.
    /// <c>chain_entry(fields)</c>: an outbox entry's field list as a table.
    /// </summary>
    public const string Functions = """
        local B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
        local function b64(n) return string.sub(B64, n + 1, n + 1) end
        local function chain_digest(...)
          local parts = {}
          for i = 1, select('#', ...) do
            local f = tostring((select(i, ...)))
            parts[#parts + 1] = #f .. ':' .. f
          end
          local hex = redis.sha1hex(table.concat(parts))
          local out = {}
          for i = 1, 25, 6 do
            local n = tonumber(string.sub(hex, i, i + 5), 16)
            out[#out + 1] = b64(math.floor(n / 262144) % 64) .. b64(math.floor(n / 4096) % 64) .. b64(math.floor(n / 64) % 64) .. b64(n % 64)
          end
          local last = tonumber(string.sub(hex, 31, 32), 16)
          out[#out + 1] = b64(math.floor(last / 4)) .. b64((last % 4) * 16)
          return table.concat(out)
        end
        local function chain_genesis(sid) return chain_digest('aspire-resilience/chain/v1', sid) end
        local function chain_entry(fields)
          local e = {}
          for i = 1, #fields, 2 do e[fields[i]] = fields[i + 1] end
          return e
        end
        local function chain_at(session, outbox, seq, sid)
          local b = redis.call('HMGET', session, 'baseSeq', 'baseChain')
          if seq == tonumber(b[1] or '0') then return b[2] or chain_genesis(sid) end
          local e = redis.call('XRANGE', outbox, seq .. '-0', seq .. '-0')
          if #e == 0 then return false end
          return chain_entry(e[1][2])['c'] or false
        end
        """ + "\n";
}
