using AspireResilience.AuthService.RefreshTokens;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class RefreshTokenRotationTests
{
    [TestMethod]
    [DataRow("rotated", RotationOutcome.Rotated)]
    [DataRow("reused", RotationOutcome.Reused)]
    [DataRow("family_revoked", RotationOutcome.FamilyRevoked)]
    [DataRow("expired", RotationOutcome.Expired)]
    [DataRow("unknown", RotationOutcome.Unknown)]
    public void ScriptOutcomeMapsToRotationOutcome(string scriptOutcome, RotationOutcome expected)
    {
        var rotation = RefreshTokenRotation.FromScript(scriptOutcome, "alice", "f1", "next");

        Assert.AreEqual(expected, rotation.Outcome);
    }

    [TestMethod]
    public void OnlyARotationCarriesTheSuccessorToken()
    {
        Assert.AreEqual("next", RefreshTokenRotation.FromScript("rotated", "alice", "f1", "next").NewToken);
        Assert.IsNull(RefreshTokenRotation.FromScript("reused", "alice", "f1", "next").NewToken);
        Assert.IsNull(RefreshTokenRotation.FromScript("expired", "alice", "f1", "next").NewToken);
    }

    [TestMethod]
    public void UnexpectedScriptAnswerThrows() =>
        Assert.ThrowsExactly<InvalidOperationException>(() => RefreshTokenRotation.FromScript("maybe", null, null, "next"));

    [TestMethod]
    public void RotationNeverPrintsTheSuccessorToken() =>
        Assert.DoesNotContain("s3cret", RefreshTokenRotation.FromScript("rotated", "alice", "f1", "s3cret").ToString());
}
