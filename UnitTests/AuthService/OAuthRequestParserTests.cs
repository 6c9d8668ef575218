using AspireResilience.AuthService.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class OAuthRequestParserTests
{
    [TestMethod]
    public void PasswordGrantWithBothFieldsParses()
    {
        var ok = OAuthRequestParser.TryParseTokenRequest(
            Form(("grant_type", "password"), ("username", "alice"), ("password", "pw")), out var request, out var error);

        Assert.IsTrue(ok);
        Assert.IsNull(error);
        Assert.AreEqual(new PasswordGrantRequest("alice", "pw"), request);
    }

    [TestMethod]
    public void RefreshGrantParses()
    {
        var ok = OAuthRequestParser.TryParseTokenRequest(
            Form(("grant_type", "refresh_token"), ("refresh_token", "r1")), out var request, out _);

        Assert.IsTrue(ok);
        Assert.AreEqual(new RefreshTokenGrantRequest("r1"), request);
    }

    [TestMethod]
    [DataRow(null, "invalid_request")]
    [DataRow("", "invalid_request")]
    [DataRow("client_credentials", "unsupported_grant_type")]
    [DataRow("PASSWORD", "unsupported_grant_type")]
    public void MissingOrUnknownGrantTypeIsRejected(string? grantType, string expectedError)
    {
        var form = grantType is null ? Form(("username", "alice")) : Form(("grant_type", grantType));

        var ok = OAuthRequestParser.TryParseTokenRequest(form, out var request, out var error);

        Assert.IsFalse(ok);
        Assert.IsNull(request);
        Assert.AreEqual(expectedError, error!.Error);
    }

    [TestMethod]
    public void UnsupportedGrantTypeIsNotEchoedBack()
    {
        OAuthRequestParser.TryParseTokenRequest(Form(("grant_type", "<script>")), out _, out var error);

        Assert.DoesNotContain("<script>", error!.Description!);
    }

    [TestMethod]
    [DataRow("username")]
    [DataRow("password")]
    public void PasswordGrantWithoutAFieldIsInvalidRequest(string missing)
    {
        var fields = new[] { ("grant_type", "password"), ("username", "alice"), ("password", "pw") }.Where(f => f.Item1 != missing).ToArray();

        OAuthRequestParser.TryParseTokenRequest(Form(fields), out _, out var error);

        Assert.AreEqual(OAuthError.InvalidRequest, error!.Error);
        StringAssert.Contains(error.Description, missing);
    }

    [TestMethod]
    [DataRow("username", 64, true)]
    [DataRow("username", 65, false)]
    [DataRow("password", 256, true)]
    [DataRow("password", 257, false)]
    public void PasswordGrantFieldsHaveLengthLimits(string field, int length, bool accepted)
    {
        var values = new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "alice", ["password"] = "pw" };
        values[field] = new string('x', length);

        var ok = OAuthRequestParser.TryParseTokenRequest(Form(values.Select(kv => (kv.Key, kv.Value)).ToArray()), out _, out var error);

        Assert.AreEqual(accepted, ok, error?.Description);
    }

    [TestMethod]
    [DataRow(512, true)]
    [DataRow(513, false)]
    public void RefreshTokenHasALengthLimit(int length, bool accepted)
    {
        var ok = OAuthRequestParser.TryParseTokenRequest(
            Form(("grant_type", "refresh_token"), ("refresh_token", new string('r', length))), out _, out _);

        Assert.AreEqual(accepted, ok);
    }

    [TestMethod]
    public void RefreshGrantWithoutTokenIsInvalidRequest()
    {
        OAuthRequestParser.TryParseTokenRequest(Form(("grant_type", "refresh_token")), out _, out var error);

        Assert.AreEqual(OAuthError.InvalidRequest, error!.Error);
    }

    [TestMethod]
    public void UsernameWithControlCharactersIsRejected()
    {
        var ok = OAuthRequestParser.TryParseTokenRequest(
            Form(("grant_type", "password"), ("username", "alice\nfake log line"), ("password", "pw")), out _, out var error);

        Assert.IsFalse(ok);
        Assert.AreEqual(OAuthError.InvalidRequest, error!.Error);
    }

    [TestMethod]
    public void RepeatedParameterIsInvalidRequest()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["grant_type"] = "password",
            ["username"] = new StringValues(["alice", "bob"]),
            ["password"] = "pw",
        });

        OAuthRequestParser.TryParseTokenRequest(form, out _, out var error);

        Assert.AreEqual(new OAuthError(OAuthError.InvalidRequest, "username is repeated."), error);
    }

    [TestMethod]
    public void RevocationWithTokenAndHintParses()
    {
        var ok = OAuthRequestParser.TryParseRevocationRequest(
            Form(("token", "t"), ("token_type_hint", "access_token")), out var request, out _);

        Assert.IsTrue(ok);
        Assert.AreEqual(new RevocationRequest("t", RevocationRequest.AccessTokenHint), request);
    }

    [TestMethod]
    public void RevocationIgnoresAnUnknownHint()
    {
        OAuthRequestParser.TryParseRevocationRequest(Form(("token", "t"), ("token_type_hint", "id_token")), out var request, out _);

        Assert.IsNull(request!.TokenTypeHint);
    }

    [TestMethod]
    public void RevocationWithoutTokenIsInvalidRequest()
    {
        var ok = OAuthRequestParser.TryParseRevocationRequest(Form(("token_type_hint", "refresh_token")), out _, out var error);

        Assert.IsFalse(ok);
        Assert.AreEqual(OAuthError.InvalidRequest, error!.Error);
    }

    [TestMethod]
    public void RevocationTokenHasALengthLimit()
    {
        var ok = OAuthRequestParser.TryParseRevocationRequest(
            Form(("token", new string('t', OAuthRequestParser.MaxRevocableTokenLength + 1))), out _, out _);

        Assert.IsFalse(ok);
    }

    [TestMethod]
    public void RequestRecordsNeverPrintSecrets()
    {
        Assert.DoesNotContain("s3cret", new PasswordGrantRequest("alice", "s3cret").ToString());
        Assert.DoesNotContain("s3cret", new RefreshTokenGrantRequest("s3cret").ToString());
        Assert.DoesNotContain("s3cret", new RevocationRequest("s3cret", null).ToString());
    }

    private static FormCollection Form(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));
}
