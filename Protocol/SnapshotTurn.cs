namespace AspireResilience.Protocol;

/// <summary>One turn of a <c>snapshot</c>: a prompt (<c>user</c>) or a completed answer (<c>agent</c>) of run <see cref="RunId"/>.</summary>
public sealed record SnapshotTurn(string Role, string RunId, string Text)
{
    public const string User = "user";
    public const string Agent = "agent";
}
