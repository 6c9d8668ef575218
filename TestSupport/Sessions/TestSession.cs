using AspireResilience.Client;
using AspireResilience.Client.Tokens;

namespace AspireResilience.TestSupport.Sessions;

/// <summary>A connected session with the user it belongs to and that user's tokens.</summary>
public sealed record TestSession(ResilientSession Session, string User, UserTokens Tokens) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Session.DisposeAsync();
}
