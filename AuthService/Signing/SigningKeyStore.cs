using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AspireResilience.AuthService.Signing;

/// <summary>
/// The RSA signing keys, persisted in <see cref="AuthOptions.KeyDirectory"/> so that tokens stay
/// verifiable across restarts and kills. Holds the current key (signs) and the previous one
/// (still in the JWKS so tokens signed before a rotation keep validating).
/// </summary>
public sealed partial class SigningKeyStore : IDisposable
{
    private const int KeySizeInBits = 2048;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _rotationGate = new();
    private readonly List<SigningKey> _loaded = [];
    private volatile KeyPair _keys;

    public SigningKeyStore(
        IOptions<AuthOptions> options,
        IHostEnvironment environment,
        TimeProvider timeProvider,
        ILogger<SigningKeyStore> logger)
        : this(ResolveDirectory(options.Value.KeyDirectory, environment.ContentRootPath), timeProvider, logger)
    {
    }

    internal SigningKeyStore(string directory, TimeProvider timeProvider, ILogger logger)
    {
        _directory = directory;
        _timeProvider = timeProvider;
        _logger = logger;
        _keys = LoadOrCreate();
    }

    public string Directory => _directory;

    /// <summary>The key that signs new tokens.</summary>
    public SigningKey Current => _keys.Current;

    /// <summary>Current first, then the previous key if there was a rotation.</summary>
    public IReadOnlyList<SigningKey> VerificationKeys => _keys.All;

    public static string ResolveDirectory(string? configured, string contentRoot) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(contentRoot, ".keys") : Path.GetFullPath(configured, contentRoot);

    /// <summary>Generates a new current key; the old current becomes the previous one.</summary>
    public SigningKey Rotate()
    {
        lock (_rotationGate)
        {
            using var fileLock = KeyFiles.AcquireLock(_directory, LockTimeout);
            var previous = _keys.Current;
            var next = CreateKey();
            WritePointer(next, previous);
            _keys = new KeyPair(next, previous);
            Log.KeyRotated(_logger, next.Kid, previous.Kid);
            return next;
        }
    }

    public void Dispose()
    {
        lock (_rotationGate)
        {
            foreach (var key in _loaded)
            {
                key.Rsa.Dispose();
            }
        }
    }

    private KeyPair LoadOrCreate()
    {
        KeyFiles.EnsureDirectory(_directory);
        // Under the lock, "read pointer, else create" is atomic across processes: a second
        // process starting at the same moment waits here and then loads the first one's key.
        using var fileLock = KeyFiles.AcquireLock(_directory, LockTimeout);
        var pointerPath = KeyFiles.CurrentPointerPath(_directory);
        if (!File.Exists(pointerPath))
        {
            // No pointer but key files: the process died between writing a key and its pointer.
            // Adopt the newest key (kids sort by creation time) rather than minting another one.
            var kids = KeyFiles.ListKids(_directory);
            var adopted = kids.Count > 0 ? LoadKey(kids[^1]) : CreateKey();
            WritePointer(adopted, previous: null);
            return new KeyPair(adopted, null);
        }

        // The pointer names the previous key too, so "previous" never depends on clocks or sorting.
        var pointer = File.ReadAllLines(pointerPath).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        var currentKid = pointer.ElementAtOrDefault(0);
        if (!KeyFiles.IsValidKid(currentKid) || !File.Exists(KeyFiles.KeyPath(_directory, currentKid!)))
        {
            // Minting a new key here would invalidate every live token without anyone noticing.
            throw new InvalidOperationException(
                $"The signing key pointer '{pointerPath}' names a key that is missing or malformed; restore the key or delete the pointer.");
        }

        var previousKid = pointer.ElementAtOrDefault(1);
        var previous = KeyFiles.IsValidKid(previousKid) && File.Exists(KeyFiles.KeyPath(_directory, previousKid!))
            ? LoadKey(previousKid!)
            : null;
        Log.KeyLoaded(_logger, currentKid!, _directory);
        return new KeyPair(LoadKey(currentKid!), previous);
    }

    private void WritePointer(SigningKey current, SigningKey? previous) =>
        KeyFiles.WriteAtomically(
            KeyFiles.CurrentPointerPath(_directory),
            previous is null ? current.Kid + "\n" : $"{current.Kid}\n{previous.Kid}\n");

    private SigningKey CreateKey()
    {
        var rsa = RSA.Create(KeySizeInBits);
        var kid = KeyFiles.NewKid(_timeProvider.GetUtcNow());
        KeyFiles.WriteAtomically(KeyFiles.KeyPath(_directory, kid), rsa.ExportPkcs8PrivateKeyPem());
        Log.KeyGenerated(_logger, kid, _directory);
        return Track(new SigningKey(kid, rsa));
    }

    private SigningKey LoadKey(string kid)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(KeyFiles.KeyPath(_directory, kid)));
        return Track(new SigningKey(kid, rsa));
    }

    private SigningKey Track(SigningKey key)
    {
        _loaded.Add(key);
        return key;
    }

    private sealed class KeyPair(SigningKey current, SigningKey? previous)
    {
        public SigningKey Current { get; } = current;

        public IReadOnlyList<SigningKey> All { get; } = previous is null ? [current] : [current, previous];
    }
}
