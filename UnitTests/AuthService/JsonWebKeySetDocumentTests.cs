using System.Text.Json;
using AspireResilience.AuthService.Signing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class JsonWebKeySetDocumentTests
{
    [TestMethod]
    public void JwksCarriesPublicRsaParametersOnly()
    {
        using var directory = new TestKeyDirectory();
        using var store = new SigningKeyStore(directory.Path, TimeProvider.System, NullLogger.Instance);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(JsonWebKeySetDocument.From(store.VerificationKeys)));

        var key = json.RootElement.GetProperty("keys").EnumerateArray().Single();
        CollectionAssert.AreEquivalent(
            new[] { "kty", "use", "kid", "alg", "n", "e" },
            key.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.AreEqual("RSA", key.GetProperty("kty").GetString());
        Assert.AreEqual("sig", key.GetProperty("use").GetString());
        Assert.AreEqual("RS256", key.GetProperty("alg").GetString());
        Assert.AreEqual(store.Current.Kid, key.GetProperty("kid").GetString());
        Assert.AreEqual("AQAB", key.GetProperty("e").GetString());
        Assert.AreEqual(342, key.GetProperty("n").GetString()!.Length, "2048-bit modulus in base64url");
    }
}
