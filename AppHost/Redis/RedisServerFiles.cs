namespace AspireResilience.AppHost.Redis;

/// <summary>
/// The files of the executable Redis: its data folder owner-only (0700: the append-only file
/// holds prompts, answers and the revocation list), and its config file with the password
/// owner-only (0600) from the moment it exists. On Windows (no modes) the folder's ACL is the
/// user profile's, as for any file there.
/// </summary>
internal static class RedisServerFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the data folder 0700, or narrows an existing one (an F5 folder from before) to 0700.</summary>
    public static void PrepareDataDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        File.SetUnixFileMode(path, OwnerOnlyDirectory);
    }

    /// <summary>
    /// Writes <c>requirepass</c> (and <c>masterauth</c>) into a new 0600 file. An old file is deleted first, so the
    /// mode is the one set at creation: no moment where the password sits in a wider file.
    /// </summary>
    public static void WriteConfig(string path, string password)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        using var file = new FileStream(path, options);
        using var writer = new StreamWriter(file);
        // Generated from hex digits only, so it needs no quoting in the config syntax. masterauth:
        // a cluster's replicas sign in to their masters with the same password (unused on one node).
        writer.Write($"requirepass {password}\nmasterauth {password}\n");
    }
}
