using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AspireResilience.AuthService.Signing;

/// <summary>
/// File-system rules of the key directory: owner-only permissions, atomic writes, kid format
/// and the inter-process lock. Layout: <c>{kid}.key.pem</c> (PKCS#8), <c>current</c> (the current kid, then the previous one), <c>.lock</c>.
/// </summary>
internal static partial class KeyFiles
{
    public const string CurrentPointerName = "current";
    public const string KeyFileSuffix = ".key.pem";
    private const string LockFileName = ".lock";

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Sortable by time (ordinal order = creation order), and safe as a file name: a tampered
    // "current" pointer can never point outside the directory.
    [GeneratedRegex("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$")]
    private static partial Regex KidPattern();

    public static string NewKid(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public static bool IsValidKid(string? kid) => kid is not null && KidPattern().IsMatch(kid);

    public static string KeyPath(string directory, string kid) => Path.Combine(directory, kid + KeyFileSuffix);

    public static string CurrentPointerPath(string directory) => Path.Combine(directory, CurrentPointerName);

    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, DirectoryMode);
        // CreateDirectory leaves an existing directory as it was: tighten it too.
        File.SetUnixFileMode(directory, DirectoryMode);
    }

    /// <summary>
    /// Kids of the key files, oldest first. Temp files and foreign names are ignored.
    /// </summary>
    public static List<string> ListKids(string directory) =>
        Directory.EnumerateFiles(directory, "*" + KeyFileSuffix)
            .Select(path => Path.GetFileName(path)[..^KeyFileSuffix.Length])
            .Where(IsValidKid)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Writes to a temp file, flushes it to disk, then renames it over <paramref name="path"/>:
    /// a kill at any point leaves either the old file or the complete new one, never a torn one.
    /// </summary>
    public static void WriteAtomically(string path, string content)
    {
        var temp = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode600;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Takes the directory's exclusive lock (flock on Unix), waiting up to <paramref name="timeout"/>.
    /// Two processes starting at once serialize here, so only one of them generates the first key.
    /// </summary>
    public static FileStream AcquireLock(string directory, TimeSpan timeout)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode600;
        }

        var path = Path.Combine(directory, LockFileName);
        var retryDelay = TimeSpan.FromMilliseconds(50);
        for (var waited = TimeSpan.Zero; ; waited += retryDelay)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException) when (waited < timeout)
            {
                Thread.Sleep(retryDelay);
            }
        }
    }
}
