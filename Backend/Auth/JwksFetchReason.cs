namespace AspireResilience.Backend.Auth;

/// <summary>Why the Backend read the JWKS.</summary>
public enum JwksFetchReason
{
    /// <summary>A token named a kid the cached set lacks (rate-limited).</summary>
    UnknownKid,

    /// <summary>The cached set's max-age ran out (or it was never read).</summary>
    Expired,
}
