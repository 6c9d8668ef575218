using AspireResilience.AuthService.Signing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class SigningKeyStoreTests
{
    private readonly TestKeyDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [TestCleanup]
    public void Cleanup() => _directory.Dispose();

    [TestMethod]
    public void SecondInstanceLoadsTheSameKeyInsteadOfMintingOne()
    {
        using var first = CreateStore();
        using var second = CreateStore();

        Assert.AreEqual(first.Current.Kid, second.Current.Kid);
        CollectionAssert.AreEqual(
            first.Current.Rsa.ExportParameters(false).Modulus,
            second.Current.Rsa.ExportParameters(false).Modulus);
        Assert.HasCount(1, Directory.GetFiles(_directory.Path, "*.key.pem"));
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)] // Unix file modes only
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyDirectoryAndFilesAreOwnerOnly()
    {
        using var store = CreateStore();

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory.Path));
        foreach (var file in Directory.GetFiles(_directory.Path))
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file), file);
        }
    }

    [TestMethod]
    public void PrivateKeyIsStoredAsPkcs8Pem()
    {
        using var store = CreateStore();

        var pem = File.ReadAllText(Path.Combine(_directory.Path, store.Current.Kid + ".key.pem"));

        StringAssert.StartsWith(pem, "-----BEGIN PRIVATE KEY-----");
        Assert.AreEqual(2048, store.Current.Rsa.KeySize);
    }

    [TestMethod]
    public void RotationKeepsThePreviousKeyAndSurvivesARestart()
    {
        string oldKid, newKid;
        using (var store = CreateStore())
        {
            oldKid = store.Current.Kid;
            _time.Advance(TimeSpan.FromSeconds(1));
            newKid = store.Rotate().Kid;
            CollectionAssert.AreEqual(new[] { newKid, oldKid }, store.VerificationKeys.Select(k => k.Kid).ToArray());
        }

        using var restarted = CreateStore();

        Assert.AreEqual(newKid, restarted.Current.Kid);
        CollectionAssert.AreEqual(new[] { newKid, oldKid }, restarted.VerificationKeys.Select(k => k.Kid).ToArray());
    }

    [TestMethod]
    public void OnlyTheCurrentAndPreviousKeysArePublished()
    {
        using var store = CreateStore();
        store.Rotate();
        store.Rotate();

        Assert.HasCount(2, store.VerificationKeys);
        Assert.HasCount(3, Directory.GetFiles(_directory.Path, "*.key.pem"));
    }

    [TestMethod]
    public void MissingPointerAdoptsTheNewestKeyFile()
    {
        string newest;
        using (var store = CreateStore())
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            newest = store.Rotate().Kid;
        }

        // As if the process died after writing a key file but before its pointer.
        File.Delete(Path.Combine(_directory.Path, "current"));
        using var restarted = CreateStore();

        Assert.AreEqual(newest, restarted.Current.Kid);
    }

    [TestMethod]
    public void PointerToAMissingKeyFailsLoudlyInsteadOfMintingANewKey()
    {
        string kid;
        using (var store = CreateStore())
        {
            kid = store.Current.Kid;
        }

        File.Delete(Path.Combine(_directory.Path, kid + ".key.pem"));

        Assert.ThrowsExactly<InvalidOperationException>(CreateStore);
    }

    [TestMethod]
    public void TamperedPointerCannotNameAFileOutsideTheDirectory()
    {
        using (CreateStore())
        {
        }

        File.WriteAllText(Path.Combine(_directory.Path, "current"), "../../etc/passwd");

        Assert.ThrowsExactly<InvalidOperationException>(CreateStore);
    }

    [TestMethod]
    public async Task ConcurrentStartsAgreeOnOneCurrentKey()
    {
        using var gate = new Barrier(4);
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            gate.SignalAndWait();
            return CreateStore();
        })));

        try
        {
            Assert.HasCount(1, stores.Select(s => s.Current.Kid).Distinct());
            Assert.HasCount(1, Directory.GetFiles(_directory.Path, "*.key.pem"));
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [TestMethod]
    public void UnsetDirectoryDefaultsToDotKeysUnderTheContentRoot()
    {
        Assert.AreEqual(Path.Combine("/srv/app", ".keys"), SigningKeyStore.ResolveDirectory(null, "/srv/app"));
        Assert.AreEqual("/srv/app/state/keys", SigningKeyStore.ResolveDirectory("state/keys", "/srv/app"));
        Assert.AreEqual("/var/keys", SigningKeyStore.ResolveDirectory("/var/keys", "/srv/app"));
    }

    private SigningKeyStore CreateStore() => new(_directory.Path, _time, NullLogger.Instance);
}
