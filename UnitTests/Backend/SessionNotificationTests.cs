using AspireResilience.Backend.Sessions;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class SessionNotificationTests
{
    [TestMethod]
    public void EventAppendedRoundTrips()
    {
        var text = SessionNotification.EventAppended(17).Format();

        Assert.AreEqual("e:17", text);
        Assert.AreEqual(new SessionNotification(SessionNotificationKind.EventAppended, "17"), SessionNotification.Parse(text));
    }

    [TestMethod]
    [DataRow("c1")]
    [DataRow("AbC-_09xyz")]
    [DataRow("with:colon")]
    public void AttachedRoundTrips(string connectionId)
    {
        var notification = SessionNotification.Attached(connectionId);

        Assert.AreEqual(notification, SessionNotification.Parse(notification.Format()));
        Assert.AreEqual(SessionNotificationKind.Attached, SessionNotification.Parse(notification.Format())!.Value.Kind);
    }

    [TestMethod]
    public void TheAppendScriptsPrefixIsTheOneTheParserReads() =>
        Assert.AreEqual(SessionNotification.EventAppended(3), SessionNotification.Parse(SessionNotification.EventAppendedPrefix + "3"));

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("e:")]
    [DataRow("e:abc")]
    [DataRow("e:-1")]
    [DataRow("e:0")]
    [DataRow("e: 5")]
    [DataRow("e:5x")]
    [DataRow("s:")]
    [DataRow("x:5")]
    [DataRow("E:5")]
    [DataRow("5")]
    public void GarbageIsRejected(string? text) =>
        Assert.IsNull(SessionNotification.Parse(text));
}
