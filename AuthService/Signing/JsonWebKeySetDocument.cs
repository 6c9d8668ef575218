using System.Buffers.Text;
using System.Text.Json.Serialization;

namespace AspireResilience.AuthService.Signing;

/// <summary>The body of <c>/.well-known/jwks.json</c> (RFC 7517): public halves only.</summary>
public sealed record JsonWebKeySetDocument([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys)
{
    public static JsonWebKeySetDocument From(IEnumerable<SigningKey> keys) =>
        new(keys.Select(ToPublicJwk).ToList());

    private static PublicJsonWebKey ToPublicJwk(SigningKey key)
    {
        // false: export the public parameters only; the private ones never leave the store.
        var parameters = key.Rsa.ExportParameters(false);
        return new PublicJsonWebKey(
            Kty: "RSA",
            Use: "sig",
            Kid: key.Kid,
            Alg: "RS256",
            N: Base64Url.EncodeToString(parameters.Modulus),
            E: Base64Url.EncodeToString(parameters.Exponent));
    }
}
