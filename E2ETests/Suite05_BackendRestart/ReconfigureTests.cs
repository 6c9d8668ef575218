namespace AspireResilience.E2ETests.Suite05_BackendRestart;

/// <summary>Suite05 #9: the Backend restarted with a changed setting, and its clients follow it.</summary>
[TestClass]
[TestCategory("Suite05")]
public sealed class ReconfigureTests : E2ETest<ReconfigurableEnvironment>
{
    [TestMethod]
    public async Task ABackendRestartedWithANewHeartbeatIntervalIsFollowedByItsClients()
    {
        await using var client = await SessionFactory.ConnectAsync(Env);
        var session = client.Session;
        var first = await session.WaitForWelcomeAsync(generation: 1);
        Assert.AreEqual((int)ReconfigurableEnvironment.DefaultHeartbeat.TotalMilliseconds, first.HeartbeatMs);
        Assert.AreEqual(ReconfigurableEnvironment.DefaultHeartbeat, session.HeartbeatInterval);

        try
        {
            ReconfigurableEnvironment.HeartbeatInterval = TimeSpan.FromSeconds(2);
            await Env.Faults.RestartAsync(ResourceNames.Backend);

            var welcome = await session.WaitForWelcomeAsync(generation: 2);
            Assert.IsTrue(welcome.Resumed, $"resume failed: {welcome.Reason}");
            Assert.AreEqual(2000, welcome.HeartbeatMs, "the restarted Backend announces its new interval");
            Assert.AreEqual(TimeSpan.FromSeconds(2), session.HeartbeatInterval, "the client heartbeats at the new pace");
            await session.SendPromptAsync("after", "still there?", Timeouts.Token());
            var after = await session.ReadAnswerAsync("after");
            Assert.StartsWith("[context: 0 earlier messages]", after.Text);
        }
        finally
        {
            ReconfigurableEnvironment.HeartbeatInterval = ReconfigurableEnvironment.DefaultHeartbeat;
            await Env.Faults.RestartAsync(ResourceNames.Backend);
        }
    }
}
