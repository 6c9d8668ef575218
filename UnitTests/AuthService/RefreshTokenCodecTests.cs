using AspireResilience.AuthService.RefreshTokens;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class RefreshTokenCodecTests
{
    [TestMethod]
    public void TokenIs32RandomBytesInBase64Url()
    {
        var token = RefreshTokenCodec.NewToken();

        Assert.AreEqual(43, token.Length);
        Assert.IsTrue(token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), token);
    }

    [TestMethod]
    public void TokensAndFamilyIdsAreUnique()
    {
        Assert.HasCount(100, Enumerable.Range(0, 100).Select(_ => RefreshTokenCodec.NewToken()).ToHashSet());
        Assert.HasCount(100, Enumerable.Range(0, 100).Select(_ => RefreshTokenCodec.NewFamilyId()).ToHashSet());
    }

    [TestMethod]
    public void HashIsLowerHexSha256AndStable()
    {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RefreshTokenCodec.Hash("abc"));
    }
}
