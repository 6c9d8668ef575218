using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AspireResilience.Backend.Auth;

/// <summary>
/// The AuthService's public keys, fetched from its JWKS endpoint. A token with an unknown
/// <c>kid</c> triggers one re-fetch at most every <see cref="TokenValidationOptions.JwksRefetchInterval"/>,
/// so key rotation needs no restart and a flood of bogus kids cannot hammer the AuthService.
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
    private DateTimeOffset _lastFetch = DateTimeOffset.MinValue;

    public async Task<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(kid, out var key)) return key;

        await _fetchLock.WaitAsync(cancellationToken);
        try
        {
            if (_keys.TryGetValue(kid, out key)) return key;
            if (time.GetUtcNow() - _lastFetch < options.Value.JwksRefetchInterval) return null;
            _lastFetch = time.GetUtcNow();
            _keys = await FetchAsync(cancellationToken);
            LogJwksFetched(logger, _keys.Count);
            return _keys.GetValueOrDefault(kid);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, SecurityKey>> FetchAsync(CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var json = await client.GetStringAsync(options.Value.JwksUri, cancellationToken);
        var set = new JsonWebKeySet(json);
        return set.Keys
            .Where(k => !string.IsNullOrEmpty(k.Kid) && k.Kty == JsonWebAlgorithmsKeyTypes.RSA)
            .ToDictionary(k => k.Kid, SecurityKey (k) => k);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Fetched {KeyCount} signing keys from the JWKS endpoint")]
    private static partial void LogJwksFetched(ILogger logger, int keyCount);
}
