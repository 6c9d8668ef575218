using System.Diagnostics;
using System.Globalization;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.E2ETests.Suite07_Heartbeat;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite06_Flapping;

/// <summary>
/// Suite06 #2: how the reference client backs off — exponentially with full jitter while the
/// link is down, and never sooner than a 4029's retry-after. On <see cref="HeartbeatEnvironment"/>,
/// whose 3 s reconnect window keeps the retry-after short.
/// </summary>
[TestClass]
[TestCategory("Suite06")]
public sealed class ReconnectLimitTests : E2ETest<HeartbeatEnvironment>
{
    // The reference client's defaults (ResilientSessionOptions).
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    // What a failed attempt (connect, upgrade request, reset) and the scheduler add to a backoff delay here.
    private static readonly TimeSpan AttemptOverhead = TimeSpan.FromMilliseconds(150);

    [TestMethod]
    public async Task WhileTheLinkIsDownTheBackoffGrowsExponentiallyWithFullJitter()
    {
        await using var client = await SessionFactory.ConnectAsync(Env, reconnectBaseDelay: BaseDelay);
        var session = client.Session;
        // Every connection is reset as soon as the client speaks: each attempt fails within milliseconds.
        await Env.ChaosProxy.AddToxicAsync(ChaosProxyNames.Backend, Toxic.ResetPeer(0, ToxicStream.Upstream, "refuse"), Timeouts.Token());
        session.AbortConnection();
        await session.WaitForDisconnectAsync();
        // The fault itself: three seconds in which no attempt gets through.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Env.ChaosProxy.RemoveToxicAsync(ChaosProxyNames.Backend, "refuse", Timeouts.Token());
        Assert.IsTrue((await session.WaitForWelcomeAsync(generation: 2)).Resumed);

        var reconnect = await Env.ClientSpans.WaitForReconnectAsync(session.SessionId);
        var attempts = reconnect.Events.Where(e => e.Name == ClientTelemetry.AttemptEvent).Select(e => e.Timestamp).ToArray();
        var gaps = attempts.Select((at, i) => at - (i == 0 ? new DateTimeOffset(reconnect.StartTimeUtc) : attempts[i - 1])).ToArray();
        var ceilings = gaps.Select((_, i) => TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, i)))).ToArray();
        Console.WriteLine("attempt gaps (ms) / ceilings: " + string.Join(", ", gaps.Zip(ceilings, (g, c) => $"{g.TotalMilliseconds:F0}/{c.TotalMilliseconds:F0}")));

        // 3 s of failures: with ceilings 0.1, 0.2, 0.4, 0.8, 1.6 s the fourth attempt comes within 1.5 s
        // even at the ceilings; a backoff that did not grow would have knocked dozens of times.
        Assert.IsGreaterThanOrEqualTo(4, attempts.Length, $"{attempts.Length} attempts");
        Assert.IsLessThanOrEqualTo(12, attempts.Length, $"{attempts.Length} attempts in 3 s: the backoff does not grow");
        for (var i = 0; i < gaps.Length; i++)
        {
            Assert.IsLessThanOrEqualTo(ceilings[i] + AttemptOverhead, gaps[i], $"attempt {i + 1} waited within its ceiling of {ceilings[i].TotalMilliseconds} ms");
        }
        // Full jitter draws each delay from [0, ceiling]: that all of them land at the top is a 1-in-10^4 event.
        Assert.IsTrue(gaps.Zip(ceilings).Any(p => p.First < p.Second * 0.9), "the delays are jittered, not fixed at their ceilings");
    }

    [TestMethod]
    public async Task AClientClosed4029WaitsOutTheRetryAfterThenResumes()
    {
        await using var client = await SessionFactory.ConnectAsync(Env, reconnectBaseDelay: TimeSpan.Zero);
        var session = client.Session;
        var sessionId = session.SessionId;
        Env.ClientSpans.Clear();

        // Flap past the limit: the first ReconnectsPerSession resumes are welcomed, the next is refused 4029.
        for (var generation = 2; generation <= HeartbeatEnvironment.ReconnectsPerSession + 2; generation++)
        {
            session.AbortConnection();
            Assert.IsTrue((await session.WaitForWelcomeAsync(generation)).Resumed, $"generation {generation}");
        }

        var limited = await Env.ClientSpans.WaitForAsync(a => a.OperationName == "client.reconnect"
            && (string?)a.GetTagItem(ClientTelemetry.SessionId) == sessionId
            && a.Events.Any(e => e.Name == ClientTelemetry.AttemptRejectedEvent), Timeouts.Default);
        var rejected = limited.Events.Single(e => e.Name == ClientTelemetry.AttemptRejectedEvent);
        var tags = rejected.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.AreEqual(CloseCodes.TooManyReconnects, tags[ClientTelemetry.CloseCode]);
        var retryAfter = TimeSpan.FromMilliseconds(long.Parse((string)tags[ClientTelemetry.CloseReason]!, CultureInfo.InvariantCulture));
        Assert.IsTrue(retryAfter > TimeSpan.Zero && retryAfter <= HeartbeatEnvironment.ReconnectWindow, $"retry-after {retryAfter.TotalMilliseconds} ms");

        var next = limited.Events.First(e => e.Name == ClientTelemetry.AttemptEvent && e.Timestamp > rejected.Timestamp);
        // The client waits on a monotonic timer, the span stamps wall-clock time: a few ms apart at most.
        Assert.IsGreaterThanOrEqualTo(retryAfter - TimeSpan.FromMilliseconds(5), next.Timestamp - rejected.Timestamp,
            $"the next attempt came {(next.Timestamp - rejected.Timestamp).TotalMilliseconds:F0} ms after a retry-after of {retryAfter.TotalMilliseconds} ms");
        Assert.AreEqual(true, limited.GetTagItem(ClientTelemetry.SessionResumed), "once the window ended the session resumed");
        Assert.AreEqual(ActivityStatusCode.Unset, limited.Status);
        Console.WriteLine($"4029 retry-after {retryAfter.TotalMilliseconds} ms; next attempt after {(next.Timestamp - rejected.Timestamp).TotalMilliseconds:F0} ms");
    }
}
