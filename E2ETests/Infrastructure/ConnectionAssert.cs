namespace AspireResilience.E2ETests.Infrastructure;

/// <summary>Assertions about a session's link.</summary>
public static class ConnectionAssert
{
    /// <summary>The session's link never dropped: its only connection event so far is the first welcome.</summary>
    public static void StillOnTheFirstConnection(ResilientSession session)
    {
        while (session.ConnectionEvents.TryRead(out var change))
        {
            Assert.IsTrue(change is Welcomed { Generation: 1 }, $"the live connection was disturbed: {change}");
        }
    }
}
