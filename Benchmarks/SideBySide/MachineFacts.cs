using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AspireResilience.Benchmarks.SideBySide;

/// <summary>What a figure was measured on and how, recorded beside it.</summary>
internal sealed record MachineFacts(string Cpu, int Cores, string Ram, string Os, string Dotnet, string Configuration, string Commit, string Date, string Command)
{
    public static async Task<MachineFacts> ReadAsync(string command, CancellationToken cancellationToken)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? await File.ReadAllLinesAsync("/proc/cpuinfo", cancellationToken) : [];
        var meminfo = File.Exists("/proc/meminfo") ? await File.ReadAllLinesAsync("/proc/meminfo", cancellationToken) : [];
        var cpu = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        var ramKb = meminfo.FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var ram = ramKb is null ? "unknown" : $"{long.Parse(ramKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F1} GiB";
#if DEBUG
        const string configuration = "Debug (numbers not representative)";
#else
        const string configuration = "Release";
#endif
        return new MachineFacts(cpu, Environment.ProcessorCount, ram, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            configuration, await CommitAsync(cancellationToken), TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), command);
    }

    private static async Task<string> CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo("git", "describe --always --dirty") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(start)!;
            var commit = (await git.StandardOutput.ReadToEndAsync(cancellationToken)).Trim();
            await git.WaitForExitAsync(cancellationToken);
            return git.ExitCode == 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no git)";
        }
    }
}
