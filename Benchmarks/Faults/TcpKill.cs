using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AspireResilience.Benchmarks.Faults;

/// <summary>
/// The fault both stacks get alike: the client's TCP socket destroyed by the kernel (<c>ss -K</c>,
/// as root), mid-stream, with no close frame. The client's next read fails at once and the server
/// sees a reset; each stack then recovers in its own way.
/// </summary>
internal static class TcpKill
{
    /// <summary>Destroys the client-side socket <paramref name="local"/> → <paramref name="remotePort"/>; returns when <c>ss</c> has done so.</summary>
    public static async Task KillAsync(IPEndPoint local, int remotePort, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ss") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-K", "-tn", $"( sport = :{local.Port} and dport = :{remotePort} )"]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ss did not start");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        // ss lists each socket it destroyed after its header line; none means the fault did not happen.
        if (process.ExitCode != 0 || output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 2)
        {
            throw new InvalidOperationException($"ss -K killed no socket :{local.Port} → :{remotePort} (run as root): {output}{await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }
    }

    /// <summary>The local end of <paramref name="socket"/>, as a plain IPv4/IPv6 endpoint.</summary>
    public static IPEndPoint LocalEndPoint(Socket socket) => (IPEndPoint)(socket.LocalEndPoint ?? throw new InvalidOperationException("the socket is not connected"));
}
