using AspireResilience.AuthService.RefreshTokens;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class RefreshTokenCodecTests
{
    [TestMethod]
    public void TokenIsItsFamilyIdADotAnd32RandomBytesInBase64Url()
    {
        var familyId = RefreshTokenCodec.NewFamilyId();
        var token = RefreshTokenCodec.NewToken(familyId);

        var secret = token[(familyId.Length + 1)..];
        Assert.StartsWith(familyId + ".", token);
        Assert.AreEqual(43, secret.Length);
        Assert.IsTrue(secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), token);
        Assert.AreEqual(familyId, RefreshTokenCodec.FamilyIdOf(token));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("no-dot-at-all")]
    [DataRow(".starts-with-a-dot")]
    [DataRow("ends-with-a-dot.")]
    [DataRow("two.dots.here")]
    public void TokenOfAnotherShapeNamesNoFamily(string token) => Assert.IsNull(RefreshTokenCodec.FamilyIdOf(token));

    [TestMethod]
    public void TokensAndFamilyIdsAreUnique()
    {
        Assert.HasCount(100, Enumerable.Range(0, 100).Select(_ => RefreshTokenCodec.NewToken("f")).ToHashSet());
        Assert.HasCount(100, Enumerable.Range(0, 100).Select(_ => RefreshTokenCodec.NewFamilyId()).ToHashSet());
    }

    [TestMethod]
    public void HashIsLowerHexSha256AndStable()
    {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RefreshTokenCodec.Hash("abc"));
    }
}
