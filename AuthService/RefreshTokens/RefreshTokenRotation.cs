namespace AspireResilience.AuthService.RefreshTokens;

/// <summary>The result of presenting a refresh token; <see cref="NewToken"/> is set only when rotated.</summary>
public sealed record RefreshTokenRotation(RotationOutcome Outcome, string? Subject, string? FamilyId, string? NewToken)
{
    /// <summary>Rotated again: a retry, within the reuse grace, of a rotation whose answer was lost (its successor never used).</summary>
    public bool Again { get; init; }

    public static RefreshTokenRotation FromScript(string outcome, string? subject, string? familyId, string newToken) => outcome switch
    {
        "rotated" => new(RotationOutcome.Rotated, subject, familyId, newToken),
        "rotated_again" => new(RotationOutcome.Rotated, subject, familyId, newToken) { Again = true },
        "reused" => new(RotationOutcome.Reused, subject, familyId, null),
        "family_revoked" => new(RotationOutcome.FamilyRevoked, subject, familyId, null),
        "expired" => new(RotationOutcome.Expired, subject, familyId, null),
        "unknown" => new(RotationOutcome.Unknown, null, null, null),
        _ => throw new InvalidOperationException($"The rotation script answered '{outcome}'."),
    };

    public override string ToString() => $"{nameof(RefreshTokenRotation)} {{ Outcome = {Outcome}, Again = {Again}, Subject = {Subject}, FamilyId = {FamilyId} }}";
}
