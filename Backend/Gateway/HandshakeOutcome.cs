using AspireResilience.Backend.Auth;
using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>The result of a <c>hello</c>: the caller's identity and a session to serve from <see cref="NextSeq"/>, or a close.</summary>
/// <param name="TokenFailure">Why the token was rejected, when it was.</param>
public sealed record HandshakeOutcome(
    WelcomeMessage? Welcome,
    long NextSeq,
    TokenIdentity? Identity = null,
    int CloseCode = 0,
    string? CloseReason = null,
    TokenFailure TokenFailure = TokenFailure.None)
{
    /// <summary>v1.1: the <c>snapshot</c> frame to send right after the welcome of a failed resume.</summary>
    public SnapshotMessage? Snapshot { get; init; }

    public static HandshakeOutcome Close(int code, string reason, TokenFailure tokenFailure = TokenFailure.None) =>
        new(null, 0, null, code, reason, tokenFailure);
}
