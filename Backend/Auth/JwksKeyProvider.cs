using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenTelemetry;

namespace AspireResilience.Backend.Auth;

/// <summary>
/// The AuthService's public keys, fetched from its JWKS endpoint. The set is re-read when its
/// <c>Cache-Control: max-age</c> runs out (<see cref="JwksRefresher"/>), so a key the AuthService
/// dropped stops being trusted; a token with an unknown <c>kid</c> triggers one re-fetch at most
/// every <see cref="TokenValidationOptions.JwksRefetchInterval"/>, so a rotation needs no restart
/// and a flood of bogus kids cannot hammer the AuthService. A failed fetch keeps the last set.
/// </summary>
public sealed partial class JwksKeyProvider(
    IHttpClientFactory httpClients,
    IOptions<TokenValidationOptions> options,
    TimeProvider time,
    ILogger<JwksKeyProvider> logger)
{
    public const string HttpClientName = "jwks";

    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private volatile IReadOnlyDictionary<string, SecurityKey> _keys = new Dictionary<string, SecurityKey>();
    // Only kid misses count against the re-fetch interval: a scheduled read just before a
    // rotation must not make the rotation's first tokens wait.
    private DateTimeOffset _lastKidMissFetch = DateTimeOffset.MinValue;
    private DateTimeOffset _staleAt = DateTimeOffset.MinValue;

    /// <summary>When the set must be read again (its max-age from the last fetch, clamped); the past if never read.</summary>
    public DateTimeOffset StaleAt => _staleAt;

    public async Task<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(kid, out var key)) return key;

        await _fetchLock.WaitAsync(cancellationToken);
        try
        {
            if (_keys.TryGetValue(kid, out key)) return key;
            if (time.GetUtcNow() - _lastKidMissFetch < options.Value.JwksRefetchInterval) return null;
            _lastKidMissFetch = time.GetUtcNow();
            await FetchAsync(JwksFetchReason.UnknownKid, cancellationToken);
            return _keys.GetValueOrDefault(kid);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    /// <summary>Re-reads the set because its max-age ran out.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _fetchLock.WaitAsync(cancellationToken);
        try
        {
            await FetchAsync(JwksFetchReason.Expired, cancellationToken);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private async Task FetchAsync(JwksFetchReason reason, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var fetchedAt = time.GetUtcNow();
        var (json, cacheMaxAge) = await GetAsync(settings.JwksUri, quiet: reason == JwksFetchReason.Expired, cancellationToken);
        var keys = new JsonWebKeySet(json).Keys
            .Where(k => !string.IsNullOrEmpty(k.Kid) && k.Kty == JsonWebAlgorithmsKeyTypes.RSA)
            .ToDictionary(k => k.Kid, SecurityKey (k) => k);
        var maxAge = JwksCachePolicy.RefreshAfter(cacheMaxAge, settings);
        _staleAt = fetchedAt + maxAge;

        var previous = _keys;
        _keys = keys;
        var added = keys.Keys.Except(previous.Keys).ToArray();
        var removed = previous.Keys.Except(keys.Keys).ToArray();
        if (added.Length > 0 || removed.Length > 0)
        {
            LogJwksChanged(logger, reason, keys.Count, string.Join(",", added), string.Join(",", removed), maxAge.TotalSeconds);
        }
        else
        {
            LogJwksUnchanged(logger, reason, keys.Count);
        }
    }

    /// <param name="quiet">
    /// Scheduled upkeep, not anyone's story: no spans (a root trace every max-age would bury the
    /// real ones). The suppression also drops log records, so it ends with this method, before the
    /// caller logs what changed (an async method's AsyncLocal changes do not flow back out).
    /// </param>
    private async Task<(string Json, TimeSpan? MaxAge)> GetAsync(Uri uri, bool quiet, CancellationToken cancellationToken)
    {
        using var suppressed = quiet ? SuppressInstrumentationScope.Begin() : null;
        using var response = await httpClients.CreateClient(HttpClientName).GetAsync(uri, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(cancellationToken), response.Headers.CacheControl?.MaxAge);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "JWKS fetched ({Reason}): {KeyCount} signing keys, added [{Added}], removed [{Removed}]; next read in {MaxAgeSeconds} s")]
    private static partial void LogJwksChanged(ILogger logger, JwksFetchReason reason, int keyCount, string added, string removed, double maxAgeSeconds);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "JWKS fetched ({Reason}): {KeyCount} signing keys, unchanged")]
    private static partial void LogJwksUnchanged(ILogger logger, JwksFetchReason reason, int keyCount);
}
