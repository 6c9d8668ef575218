namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>What the atomic rotation script decided for one presented refresh token.</summary>
public enum RotationOutcome
{
    /// <summary>The token was live and unused: it is now used and a successor exists.</summary>
    Rotated,

    /// <summary>No such token (never issued, or its TTL ran out).</summary>
    Unknown,

    /// <summary>The token's lifetime is over.</summary>
    Expired,

    /// <summary>The token had already been rotated: the family has just been revoked.</summary>
    Reused,

    /// <summary>The family was revoked earlier (reuse or explicit revocation).</summary>
    FamilyRevoked,
}
