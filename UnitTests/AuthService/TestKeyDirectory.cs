namespace AspireResilience.UnitTests.AuthService;

/// <summary>A fresh temp directory path for one test's signing keys; deleted on dispose.</summary>
internal sealed class TestKeyDirectory : IDisposable
{
    private readonly string _root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "auth-keys-" + Guid.NewGuid().ToString("N"));

    /// <summary>Not created yet: the store must create it with owner-only permissions.</summary>
    public string Path => System.IO.Path.Combine(_root, "keys");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
