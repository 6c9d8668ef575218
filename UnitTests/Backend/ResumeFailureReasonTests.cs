using AspireResilience.Backend.Gateway;
using AspireResilience.Backend.Sessions;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class ResumeFailureReasonTests
{
    [TestMethod]
    [DataRow(AttachStatus.Expired, "e1", "e1", ResumeFailureReasons.Expired)]
    [DataRow(AttachStatus.Gap, "e1", "e1", ResumeFailureReasons.Gap)]
    // The client holds events the store lost (a failover): a gap, not a close.
    [DataRow(AttachStatus.Ahead, "e1", "e1", ResumeFailureReasons.Gap)]
    [DataRow(AttachStatus.Unknown, "e1", "e1", ResumeFailureReasons.Unknown)]
    [DataRow(AttachStatus.Unknown, null, "e2", ResumeFailureReasons.Unknown)]
    [DataRow(AttachStatus.Unknown, "e1", "e2", ResumeFailureReasons.Epoch)]
    public void ReasonFollowsTheAttachStatusAndSaysEpochOnlyForAnUnknownSessionFromAnotherEpoch(AttachStatus status, string? clientEpoch, string storeEpoch, string expected) =>
        Assert.AreEqual(expected, SessionHandshake.FailureReason(status, clientEpoch, storeEpoch));
}
