using System.Diagnostics;
using AspireResilience.Client;
using AspireResilience.TestSupport.Reports;

namespace AspireResilience.TestSupport.Soak;

/// <summary>Recovery per fault kind, read from the faults' spans and the clients' <c>client.reconnect</c> spans.</summary>
public static class RecoveryStats
{
    /// <param name="faults">The faults in the order injected.</param>
    /// <param name="clientSpans">The client spans recorded in-process (<see cref="Telemetry.ClientSpanRecorder"/>).</param>
    /// <param name="sessions">The soak clients' session ids (other spans in the process are not theirs).</param>
    /// <param name="endUtc">When the last fault's window closes (the end of the run).</param>
    public static IReadOnlyList<KindRecovery> PerKind(IReadOnlyList<InjectedFault> faults, IEnumerable<Activity> clientSpans,
        IReadOnlySet<string> sessions, DateTime endUtc)
    {
        var reconnects = clientSpans
            .Where(a => a.OperationName == "client.reconnect" && a.GetTagItem(ClientTelemetry.SessionId) is string id && sessions.Contains(id))
            .ToArray();
        var samples = faults.Select((fault, i) =>
        {
            var windowEnd = i + 1 < faults.Count ? faults[i + 1].StartUtc : endUtc;
            var spans = reconnects.Where(a => a.StartTimeUtc >= fault.StartUtc && a.StartTimeUtc < windowEnd).ToArray();
            return (fault.Plan.Kind,
                Drop: spans.Select(a => a.Duration.TotalMilliseconds),
                Fault: spans.Select(a => (a.StartTimeUtc + a.Duration - fault.StartUtc).TotalMilliseconds));
        }).ToArray();
        return [.. Enum.GetValues<FaultKind>().Select(kind =>
        {
            var ofKind = samples.Where(s => s.Kind == kind).ToArray();
            var drop = ofKind.SelectMany(s => s.Drop).Order().ToArray();
            var fault = ofKind.SelectMany(s => s.Fault).Order().ToArray();
            return new KindRecovery(kind, ofKind.Length, drop.Length,
                At(drop, 0.50), At(drop, 0.99), At(fault, 0.50), At(fault, 0.99));
        })];
    }

    private static double? At(double[] sorted, double p) => sorted.Length == 0 ? null : ResilienceReport.Percentile(sorted, p);
}
