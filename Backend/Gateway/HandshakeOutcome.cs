using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>The result of a <c>hello</c>: a session to serve from <see cref="NextSeq"/>, or a close.</summary>
public sealed record HandshakeOutcome(WelcomeMessage? Welcome, long NextSeq, int CloseCode = 0, string? CloseReason = null)
{
    public static HandshakeOutcome Close(int code, string reason) => new(null, 0, code, reason);
}
