namespace AspireResilience.Contracts;

/// <summary>What the AuthService puts in an access token and the Backend requires of one.</summary>
public static class AccessTokenContract
{
    /// <summary>
    /// The JWT <c>typ</c> header of an access token (RFC 9068 §2.1). A verifier that requires it
    /// cannot be handed another kind of JWT signed with the same key (RFC 8725 §3.11).
    /// </summary>
    public const string TokenType = "at+jwt";

    /// <summary>The claim naming the refresh-token family a token came from, so a family revocation finds its sockets.</summary>
    public const string FamilyIdClaim = "fid";
}
