using System.Globalization;
using System.Text;
using System.Text.Json;
using AspireResilience.TestSupport;

namespace AspireResilience.Benchmarks.SideBySide;

/// <summary>
/// The side-by-side table (medians of the repetitions), its goals, and where each check stands;
/// written as Markdown, JSON (every repetition's value) and a PNG chart under <c>artifacts/benchmarks/</c>.
/// </summary>
internal sealed class SideBySideReport(MachineFacts facts, SideBySideSettings settings, Figures figures, TimeSpan elapsed)
{
    private double M(string key) => figures.Median(key);

    /// <summary>Nothing lost or repeated in any stream, no refresh disconnected or refused, every dropped storm session resumed.</summary>
    public bool AllChecksPassed =>
        figures.All["kill.ours.intact"].SequenceEqual(figures.All["kill.ours.streams"])
        && figures.All["kill.peer.intact"].SequenceEqual(figures.All["kill.peer.streams"])
        && figures.All["refresh.disconnects"].All(v => v == 0) && figures.All["refresh.rejected"].All(v => v == 0)
        && figures.All["storm.resumed"].SequenceEqual(figures.All["storm.dropped"]);

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        var markdown = Markdown();
        await BenchmarkReport.PublishAsync("benchmarks.md", markdown, cancellationToken);
        var json = JsonSerializer.Serialize(new
        {
            machine = facts,
            settings,
            elapsedSeconds = Math.Round(elapsed.TotalSeconds, 1),
            medians = figures.All.Keys.Order().ToDictionary(k => k, k => Math.Round(M(k), 3)),
            repetitions = figures.All,
        }, new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(RepositoryRoot.Artifact("benchmarks", "benchmarks.json"), json, cancellationToken);
        SideBySideChart.Write(RepositoryRoot.Artifact("benchmarks", "benchmarks.png"), [
            ("handshake p50 (ms)", M("handshake.ours.p50"), M("handshake.floor.p50"), M("handshake.peer.p50")),
            ("handshake p99 (ms)", M("handshake.ours.p99"), M("handshake.floor.p99"), M("handshake.peer.p99")),
            ("resume p50 (ms; floor: handshake)", M("resume.ours.p50"), M("handshake.floor.p50"), double.NaN),
            ("reset → next event p50 (ms)", M("kill.ours.p50"), double.NaN, M("kill.peer.p50")),
            ("reset → next event p99 (ms)", M("kill.ours.p99"), double.NaN, M("kill.peer.p99")),
            ("events/s, exactly once", M("throughput.ours"), M("throughput.floor"), M("throughput.peer")),
        ]);
    }

    private string Markdown()
    {
        var text = new StringBuilder()
            .AppendLine("# Benchmarks side by side: ours, the bare floor and ASP.NET Core SignalR")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{facts.Date} · {facts.Cpu}, {facts.Cores} cores, {facts.Ram} RAM · {facts.Os} · {facts.Dotnet} · {facts.Configuration} · commit {facts.Commit}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Command: `{facts.Command}` — {settings.Repetitions} repetitions, each figure the median of them ({elapsed.TotalMinutes:F1} min in all).")
            .AppendLine()
            .AppendLine("| measure | ours | floor | peer (SignalR) | ours/floor | ours/peer | goal | met |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---|---|");
        Row(text, "fresh connect + handshake p50, ms", M("handshake.ours.p50"), M("handshake.floor.p50"), M("handshake.peer.p50"), "", null);
        Row(text, "fresh connect + handshake p99, ms", M("handshake.ours.p99"), M("handshake.floor.p99"), M("handshake.peer.p99"), "", null);
        Row(text, "resume, backend alive, p50, ms (floor: its handshake)", M("resume.ours.p50"), M("handshake.floor.p50"), double.NaN,
            "≤ 2× floor handshake p50", M("resume.ours.p50") <= 2 * M("handshake.floor.p50"));
        Row(text, "resume, backend alive, p99, ms", M("resume.ours.p99"), double.NaN, double.NaN, "< 25 ms", M("resume.ours.p99") < 25);
        Row(text, "TCP connection reset mid-stream → next event, p50, ms", M("kill.ours.p50"), double.NaN, M("kill.peer.p50"), "≤ peer", M("kill.ours.p50") <= M("kill.peer.p50"));
        Row(text, "TCP connection reset mid-stream → next event, p99, ms", M("kill.ours.p99"), double.NaN, M("kill.peer.p99"), "≤ peer", M("kill.ours.p99") <= M("kill.peer.p99"));
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| streams intact after the reset (nothing lost or repeated) | {Sum("kill.ours.intact")}/{Sum("kill.ours.streams")} | | {Sum("kill.peer.intact")}/{Sum("kill.peer.streams")} | | | all | {Mark(AllIntact)} |");
        Row(text, "streamed events/s, exactly once", M("throughput.ours"), M("throughput.floor"), M("throughput.peer"),
            "≥ 50 % of floor, > peer", M("throughput.ours") >= 0.5 * M("throughput.floor") && M("throughput.ours") > M("throughput.peer"), "F0");
        Row(text, $"Backend managed heap per idle session ({settings.IdleSessions:N0}), KB", M("memory.heap") / 1024, double.NaN, double.NaN, "≤ 16 KB", M("memory.heap") / 1024 <= 16);
        Row(text, $"Backend RSS per idle session ({settings.IdleSessions:N0}), KB", M("memory.rss") / 1024, double.NaN, double.NaN, "≤ 16 KB", M("memory.rss") / 1024 <= 16);
        Row(text, $"Redis bytes per idle session ({settings.IdleSessions:N0})", M("memory.redis"), double.NaN, double.NaN, "", null, "F0");
        Row(text, $"resume storm: {settings.StormSessions:N0} sessions, 1 of 2 replicas SIGKILLed → all resumed, ms", M("storm.all"), double.NaN, double.NaN,
            "< 5 s", M("storm.all") < 5000 && figures.All["storm.resumed"].SequenceEqual(figures.All["storm.dropped"]), "F0");
        Row(text, $"SIGKILL of the only Backend process, started again at once → resumed ({settings.SingleProcessSessions} sessions), p50, ms", M("kill1.p50"), double.NaN, double.NaN, "", null, "F0");
        Row(text, "SIGKILL of the only Backend process → resumed, p99, ms", M("kill1.p99"), double.NaN, double.NaN, $"n {M("kill1.n"):F0} per repetition", null, "F0");
        Row(text, "resume storm: kill → resumed p50 / p99, ms", M("storm.p50"), double.NaN, double.NaN, $"p99 {M("storm.p99"):F0} ms; {M("storm.dropped"):F0} dropped, {M("storm.resumed"):F0} resumed", null, "F0");
        Row(text, $"in-band token refresh ({settings.Refreshes:N0}), client p50, ms", M("refresh.client.p50"), double.NaN, double.NaN, "", null);
        Row(text, $"in-band token refresh ({settings.Refreshes:N0}), client p99, ms", M("refresh.client.p99"), double.NaN, double.NaN,
            $"< 10 ms, 0 disconnects (seen: {Sum("refresh.disconnects")})", M("refresh.client.p99") < 10 && Sum("refresh.disconnects") == 0);
        Row(text, "ChaosProxy: added round trip p50 / p99, µs", M("chaosproxy.added.p50"), double.NaN, double.NaN, $"p99 {M("chaosproxy.added.p99"):F1} µs", null, "F1");
        Row(text, "ChaosProxy: bulk throughput, proxied / direct", M("chaosproxy.bulk.ratio"), double.NaN, double.NaN, "", null, "P0");
        return text.AppendLine()
            .AppendLine("How each figure is taken (docs/benchmarks.md says more):")
            .AppendLine("- *floor*: a bare Kestrel WebSocket in the benchmark process (connect, a `hello`-sized frame, a `welcome`-sized answer; streaming the same `event` frames). *peer*: an ASP.NET Core SignalR hub in the same process, WebSockets, stateful reconnect on, ack window (`StatefulReconnectBufferSize`) " +
                $"{Baselines.BaselineServer.StatefulReconnectBufferSize:N0} bytes (its default), streaming the same frames' JSON.")
            .AppendLine("- *ours*: the real AppHost (2 Backend replicas, redis-server with AOF, agent delay 0), one Backend process at its own address. Handshake and resume are the client's `client.connect` / `client.reconnect` spans (reconnect jitter off); the floor's and peer's handshakes time the whole connect call.")
            .AppendLine(CultureInfo.InvariantCulture, $"- TCP connection reset mid-stream → next event: after the 20th event of a {settings.Chunks}-chunk stream the client's own TCP socket is closed with a zero linger (a RST, the client's read fails, no close frame), in-process, for ours and the peer alike; from the reset to the first event the dead socket had not delivered. Every stream is read to its end and checked seq by seq. Reconnect jitter off for ours; the peer gets a fresh connection per stream (only a SignalR connection's first reconnect is stateful).")
            .AppendLine(CultureInfo.InvariantCulture, $"- events/s: {settings.Streams} clients each read one {settings.Chunks}-chunk answer at once, every event checked to follow the last; events over the time from the first request to the last end.")
            .AppendLine("- memory: idle sessions (hello → welcome, then a pending read) on one Backend process; the managed heap after a full collection (admin API), VmRSS after it, Redis `used_memory`; the difference each makes, per session.")
            .ToString();
    }

    private bool AllIntact =>
        figures.All["kill.ours.intact"].SequenceEqual(figures.All["kill.ours.streams"]) && figures.All["kill.peer.intact"].SequenceEqual(figures.All["kill.peer.streams"]);

    private double Sum(string key) => figures.All.TryGetValue(key, out var values) ? values.Sum() : double.NaN;

    private static string Mark(bool met) => met ? "yes" : "**no**";

    private static void Row(StringBuilder text, string measure, double ours, double floor, double peer, string goal, bool? met, string format = "F2")
    {
        string F(double v) => double.IsNaN(v) ? "" : v.ToString(format, CultureInfo.InvariantCulture);
        static string R(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "" : (a / b).ToString("F2", CultureInfo.InvariantCulture);
        text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {F(ours)} | {F(floor)} | {F(peer)} | {R(ours, floor)} | {R(ours, peer)} | {goal} | {(met is { } m ? Mark(m) : "")} |");
    }
}
