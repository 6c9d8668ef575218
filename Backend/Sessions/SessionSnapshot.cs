using System.Text.Json;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Sessions;

/// <summary>
/// Builds the v1.1 <c>snapshot</c> frame from a session's context (its prompts and completed
/// answers, oldest first) within a size bound: the newest turns are kept, and the frame says
/// when older ones were left out.
/// </summary>
public static class SessionSnapshot
{
    private static readonly JsonSerializerOptions ContextJson = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Reads one context entry as the run store wrote it (<c>{"Role","RunId","Text"}</c>); null for anything else.</summary>
    public static SnapshotTurn? ParseTurn(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SnapshotTurn>(json, ContextJson) is { Role: not null, RunId: not null, Text: not null } turn ? turn : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The snapshot of <paramref name="sessionId"/> whose serialized frame stays within
    /// <paramref name="maxFrameBytes"/>: turns are taken from the newest back while they fit.
    /// </summary>
    public static SnapshotMessage Build(string sessionId, IReadOnlyList<SnapshotTurn> turns, int maxFrameBytes)
    {
        // The frame without turns, a chain in place, and a comma per turn: measured, not guessed.
        var budget = maxFrameBytes - ProtocolJson.Serialize(new SnapshotMessage(sessionId, [], true, new string('x', EventChain.Length))).Length;
        var first = turns.Count;
        while (first > 0)
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(turns[first - 1], ProtocolJson.Options).Length + 1;
            if (size > budget) break;
            budget -= size;
            first--;
        }
        var kept = turns.Skip(first).ToArray();
        var truncated = first > 0;
        return new SnapshotMessage(sessionId, kept, truncated, EventChain.OfSnapshot(sessionId, kept, truncated));
    }
}
