using System.Net;
using AspireResilience.ChaosProxy.Client;

namespace AspireResilience.E2ETests.Harness;

/// <summary>
/// The suite's own safety net, proved: every E2E test ends by reading the errors the services
/// logged during it. These cases show that the read catches an error logged in a test's very
/// last moment, and that it fails rather than passes when it cannot read a service's log.
/// </summary>
[TestClass]
[TestCategory("Harness")]
public sealed class ErrorLogCheckTests : E2ETest<SharedEnvironment>
{
    [TestMethod]
    public async Task AnErrorLoggedInTheLastMomentOfATestIsCaught()
    {
        // A proxy asked to listen where another already does cannot start: ChaosProxy logs an
        // error, then answers. Nothing else happens after it: the read must still see it.
        var taken = Env.App.GetEndpoint(ResourceNames.Chaos, ChaosProxyNames.Endpoint(ChaosProxyNames.Backend));
        var refused = await Assert.ThrowsAsync<ChaosProxyException>(() => Env.ChaosProxy.CreateProxyAsync(
            "clash", $"127.0.0.1:{taken.Port}", "127.0.0.1:9", cancellationToken: Timeouts.Token()));
        Assert.AreEqual(HttpStatusCode.Conflict, refused.StatusCode);

        var errors = await Env.ErrorLog.ReadNewErrorsAsync(Timeouts.Token());

        var error = errors.SingleOrDefault(e => e.Resource == ResourceNames.Chaos && e.Message.Contains("cannot listen", StringComparison.Ordinal));
        Assert.IsNotNull(error, "the error logged just before the read was not caught: " + ErrorLogReader.Describe(errors));
        Assert.HasCount(1, errors, "only the provoked error: " + ErrorLogReader.Describe(errors));
    }

    [TestMethod]
    public async Task AReadOfAnUnknownResourceFailsInsteadOfPassing()
    {
        // The Backend answers the marker request, but the dashboard knows no instance by this name.
        var backend = ResourceInstance.Read(Env.App, ResourceNames.Backend, Env.Faults.Instances(ResourceNames.Backend)[0]);
        using var reader = new ErrorLogReader(Env.Telemetry, () => [backend with { TelemetryName = "no-such-service" }], markerTimeout: TimeSpan.FromSeconds(3));

        await Assert.ThrowsAsync<TimeoutException>(() => reader.ReadNewErrorsAsync(Timeouts.Token()));
    }
}
