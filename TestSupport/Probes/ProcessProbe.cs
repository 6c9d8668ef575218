using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AspireResilience.TestSupport.Probes;

/// <summary>
/// What the operating system sees of a service: its established TCP connections on a port and
/// the resident memory of the process listening there. Read from outside (<c>ss</c>, <c>/proc</c>),
/// so the service carries nothing for the tests' sake.
/// </summary>
public static partial class ProcessProbe
{
    /// <summary>Established TCP connections whose local port is <paramref name="port"/> (the server's side of each).</summary>
    public static async Task<int> EstablishedConnectionsAsync(int port, CancellationToken cancellationToken) =>
        (await SsAsync(["-Htn", "state", "established", $"( sport = :{port} )"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Resident memory (VmRSS) of the process listening on <paramref name="port"/>, in bytes.</summary>
    public static async Task<long> ResidentBytesAsync(int port, CancellationToken cancellationToken)
    {
        var listening = await SsAsync(["-Htlnp", $"( sport = :{port} )"], cancellationToken);
        var pid = ProcessId().Match(listening) is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"no process listens on port {port}: {listening}");
        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status", cancellationToken);
        var rss = status.Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(rss["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex ProcessId();

    private static async Task<string> SsAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ss") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ss did not start");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"ss failed: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
    }
}
