using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AspireResilience.Backend.Agents;

/// <summary>
/// The reference agent: the same prompt and history always give the same chunks. The first
/// chunk names how much context the agent saw, so a test can tell that a follow-up prompt
/// after a reconnect still sees the earlier turns.
/// </summary>
public sealed class DeterministicAgent(IOptions<AgentOptions> options) : IAgent
{
    private static readonly string[] Words =
    [
        "session", "resume", "redis", "outbox", "replay", "lease", "epoch", "token", "socket",
        "stream", "chunk", "trace", "span", "heartbeat", "backoff", "jitter", "proxy", "latency",
    ];

    public IReadOnlyList<string> Answer(AgentRequest request)
    {
        var count = Math.Max(1, options.Value.ChunkCount);
        // xorshift seeded from the prompt: stable across processes and .NET versions, unlike Random.
        var seed = BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(request.Prompt)), 0) | 1;
        var chunks = new string[count];
        chunks[0] = $"[context: {request.History} earlier messages] ";
        for (var i = 1; i < count; i++)
        {
            var text = new StringBuilder();
            for (var w = 0; w < 3; w++)
            {
                seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
                text.Append(Words[(int)(seed % (ulong)Words.Length)]).Append(' ');
            }
            chunks[i] = text.ToString();
        }
        return chunks;
    }
}
