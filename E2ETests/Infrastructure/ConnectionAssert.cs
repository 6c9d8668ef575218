namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>Assertions about a session's link.</summary>
public static class ConnectionAssert
{
    /// <summary>The session's link never dropped: its only link event so far is the first welcome (a server <c>error</c> frame is not a link event).</summary>
    public static void StillOnTheFirstConnection(ResilientSession session)
    {
        while (session.ConnectionEvents.TryRead(out var change))
        {
            Assert.IsTrue(change is Welcomed { Generation: 1 } or ServerError, $"the live connection was disturbed: {change}");
        }
    }
}
