namespace AspireResilience.Backend.Auth;

/// <summary>The outcome of a token check: an identity, or why there is none.</summary>
public readonly record struct TokenCheck(TokenIdentity? Identity, TokenFailure Failure)
{
    public static TokenCheck Fail(TokenFailure failure) => new(null, failure);
}
