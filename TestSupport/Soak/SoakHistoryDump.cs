using System.Text;

namespace AspireResilience.TestSupport.Soak;

/// <summary>Writes the histories of clients the checker faulted, one file each, so a failure can be read event by event.</summary>
public static class SoakHistoryDump
{
    /// <summary>Clients written at most: the first few failures tell the story.</summary>
    private const int MaxClients = 5;

    /// <summary>Writes <c>{client}.log</c> files into <paramref name="directory"/> (emptied first); returns how many.</summary>
    public static int Write(SoakResult result, string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        var faulted = result.Histories
            .Where(h => result.Verdict.Violations.Any(v => v.StartsWith(h.Client + ": ", StringComparison.Ordinal)))
            .Take(MaxClients).ToArray();
        if (faulted.Length == 0) return 0;
        Directory.CreateDirectory(directory);
        foreach (var history in faulted)
        {
            var text = new StringBuilder();
            foreach (var violation in result.Verdict.Violations.Where(v => v.StartsWith(history.Client + ": ", StringComparison.Ordinal)))
                text.Append("# ").AppendLine(violation);
            foreach (var entry in history.Entries) text.AppendLine(entry.ToString());
            File.WriteAllText(Path.Combine(directory, history.Client + ".log"), text.ToString());
        }
        return faulted.Length;
    }
}
