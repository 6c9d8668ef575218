namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>The result of presenting a refresh token; <see cref="NewToken"/> is set only when rotated.</summary>
public sealed record RefreshTokenRotation(RotationOutcome Outcome, string? Subject, string? FamilyId, string? NewToken)
{
    public static RefreshTokenRotation FromScript(string outcome, string? subject, string? familyId, string newToken) => outcome switch
    {
        "rotated" => new(RotationOutcome.Rotated, subject, familyId, newToken),
        "reused" => new(RotationOutcome.Reused, subject, familyId, null),
        "family_revoked" => new(RotationOutcome.FamilyRevoked, subject, familyId, null),
        "expired" => new(RotationOutcome.Expired, subject, familyId, null),
        "unknown" => new(RotationOutcome.Unknown, null, null, null),
        _ => throw new InvalidOperationException($"The rotation script answered '{outcome}'."),
    };

    public override string ToString() => $"{nameof(RefreshTokenRotation)} {{ Outcome = {Outcome}, Subject = {Subject}, FamilyId = {FamilyId} }}";
}
