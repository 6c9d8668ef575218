using AspireResilience.TestSupport.Telemetry;

namespace AspireResilience.E2ETests.Suite01_Reconnection;

/// <summary>
/// The dashboard's "Drop all connections" (Backend), through Aspire's command service: every
/// socket of every replica is cut mid-answer without a close frame, and every client resumes with
/// its answer exactly once. Recovery is timed from the fault's own span (<c>admin.drop_connections</c>
/// of the replica that held the socket): fault → detected, and fault → resumed.
/// </summary>
[TestClass]
[TestCategory("Suite01")]
public sealed class DropAllConnectionsTests : E2ETest<SharedEnvironment>
{
    private const int Clients = 3;

    // DESIGN.md §10: disconnect → resumed with the backend alive, client side, < 250 ms. The
    // client hears a cut socket at once; detection is budgeted at about 2x what the suite measures.
    private static readonly TimeSpan DetectedBudget = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ResumedBudget = TimeSpan.FromMilliseconds(250);

    [TestMethod]
    public async Task DropAllConnectionsMidAnswerEveryClientResumesExactlyOnce()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => SessionFactory.ConnectAsync(Env)));
        try
        {
            var drop = new Lazy<Task<IReadOnlyList<string>>>(Env.Faults.DropAllConnectionsAsync);
            await Task.WhenAll(clients.Select((client, i) => MidAnswerFault.StreamThroughAsync(Env, client, $"cut{i}", "drop me mid-answer",
                atIndex: 4, () => drop.Value, expectedFirstSeq: 1)));

            var dropped = (await drop.Value).Sum(answer => System.Text.Json.JsonDocument.Parse(answer).RootElement.GetProperty("dropped").GetInt32());
            Assert.IsGreaterThanOrEqualTo(Clients, dropped, "every client's socket was among those dropped");
            foreach (var client in clients)
            {
                var (faultAt, reconnect) = await RecoveryAsync(client.Session.SessionId);
                Budget.AssertRecovery("drop all connections (dashboard), mid-answer", faultAt, reconnect, DetectedBudget, ResumedBudget,
                    "admin.drop_connections span start");
            }
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    /// <summary>The drop on the replica that held the session's socket, and the client's reconnect after it.</summary>
    private static async Task<(DateTimeOffset FaultAt, System.Diagnostics.Activity Reconnect)> RecoveryAsync(string sessionId)
    {
        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(sessionId);
        Assert.AreEqual(true, reconnect.GetTagItem(ClientTelemetry.SessionResumed), "resumed, not a fresh session");
        var cut = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "ws.connection", Timeouts.Telemetry,
            span => span.Attributes.GetValueOrDefault("session.id") == sessionId && span.Attributes.GetValueOrDefault("ws.dropped") == "true");
        TelemetrySpan fault = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "admin.drop_connections", Timeouts.Telemetry,
            span => span.Instance == cut.Instance);
        return (fault.Start, reconnect);
    }
}
