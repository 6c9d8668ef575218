using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AspireResilience.Protocol;

/// <summary>
/// The continuity chain of protocol v1.1 (docs/protocol.md, <i>Chain</i>): each event's
/// <c>chain</c> digests the previous event's chain and this event's fields, so a client that
/// keeps the running value can check that what it received is exactly the history the server
/// stored, in order, for this session. The server computes it once, in the Lua script that
/// appends the event (<c>Backend/Sessions/ChainLua</c>); this is the same function for clients and tests.
/// </summary>
/// <remarks>
/// Digest: the first 16 bytes of SHA-1 over the fields, each written as its UTF-8 byte length in
/// decimal, a colon, then its bytes (<c>5:hello</c>), in base64url without padding (22 characters).
/// SHA-1 because Redis 7.0's Lua offers <c>redis.sha1hex</c> and no SHA-256: the chain detects
/// corruption and divergence between a trusted server and its client, which needs no collision
/// resistance against an adversary who can also write the store.
/// </remarks>
public static class EventChain
{
    /// <summary>The first field of a session's genesis digest.</summary>
    public const string GenesisLabel = "aspire-resilience/chain/v1";

    /// <summary>The first field of a snapshot's digest.</summary>
    public const string SnapshotLabel = "aspire-resilience/snapshot/v1";

    /// <summary>Characters of a chain value.</summary>
    public const int Length = 22;

    /// <summary>The chain "before seq 1" of session <paramref name="sessionId"/>: a session's chain never validates another's events.</summary>
    public static string Genesis(string sessionId) => Digest(GenesisLabel, sessionId);

    /// <summary>The chain of the event <paramref name="seq"/> that follows <paramref name="previous"/>.</summary>
    public static string Next(string previous, long seq, string kind, string? runId, int index, string text) =>
        Digest(previous, seq.ToString(CultureInfo.InvariantCulture), kind, runId ?? "", index.ToString(CultureInfo.InvariantCulture), text);

    /// <summary>The chain of <paramref name="e"/> after <paramref name="previous"/>.</summary>
    public static string Next(string previous, EventMessage e) => Next(previous, e.Seq, e.Kind, e.RunId, e.Index, e.Text);

    /// <summary>The digest of a snapshot of session <paramref name="sessionId"/>: its turns folded in order after a genesis of their own.</summary>
    public static string OfSnapshot(string sessionId, IEnumerable<SnapshotTurn> turns, bool truncated)
    {
        var chain = Digest(SnapshotLabel, sessionId, truncated ? "1" : "0");
        foreach (var turn in turns) chain = Digest(chain, turn.Role, turn.RunId, turn.Text);
        return chain;
    }

    /// <summary>base64url(SHA-1(len:field ...)[..16]).</summary>
    public static string Digest(params ReadOnlySpan<string> fields)
    {
        // Every event is hashed on arrival: one pooled buffer, no intermediate strings.
        var capacity = 0;
        foreach (var field in fields) capacity += Encoding.UTF8.GetMaxByteCount(field.Length) + 11;
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var written = 0;
            foreach (var field in fields)
            {
                Encoding.UTF8.GetByteCount(field).TryFormat(buffer.AsSpan(written), out var digits, default, CultureInfo.InvariantCulture);
                written += digits;
                buffer[written++] = (byte)':';
                written += Encoding.UTF8.GetBytes(field, buffer.AsSpan(written));
            }
            Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
            // CA5350: SHA-1 is what Redis's Lua offers; it guards against accidents, not forgers (see remarks).
#pragma warning disable CA5350
            SHA1.HashData(buffer.AsSpan(0, written), hash);
#pragma warning restore CA5350
            return Base64Url.EncodeToString(hash[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
