using System.Text;
using AspireResilience.AuthService.Apis;
using AspireResilience.AuthService.Requests;
using Microsoft.AspNetCore.Http;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class OAuthFormReaderTests
{
    [TestMethod]
    [DataRow("application/x-www-form-urlencoded", true)]
    [DataRow("application/x-www-form-urlencoded; charset=utf-8", true)]
    [DataRow("Application/X-WWW-Form-UrlEncoded", true)]
    [DataRow("multipart/form-data; boundary=x", false)]
    [DataRow("application/json", false)]
    [DataRow("", false)]
    [DataRow(null, false)]
    public void OnlyUrlEncodedFormsAreAccepted(string? contentType, bool expected) =>
        Assert.AreEqual(expected, OAuthFormReader.IsUrlEncodedForm(contentType));

    [TestMethod]
    public async Task WellFormedBodyIsRead()
    {
        var (form, error) = await OAuthFormReader.ReadAsync(Request("grant_type=password&username=alice"), CancellationToken.None);

        Assert.IsNull(error);
        Assert.AreEqual("alice", (string?)form!["username"]);
    }

    [TestMethod]
    public async Task SecretsInTheQueryStringAreRejected()
    {
        var request = Request("grant_type=password");
        request.QueryString = new QueryString("?password=pw");

        var (form, error) = await OAuthFormReader.ReadAsync(request, CancellationToken.None);

        Assert.IsNull(form);
        Assert.AreEqual(OAuthError.InvalidRequest, error!.Error);
    }

    [TestMethod]
    public async Task BodyOverTheLimitIsRejectedBeforeReading()
    {
        var (form, error) = await OAuthFormReader.ReadAsync(
            Request("grant_type=password&x=" + new string('a', OAuthFormReader.MaxFormBytes)), CancellationToken.None);

        Assert.IsNull(form);
        Assert.AreEqual(OAuthError.InvalidRequest, error!.Error);
    }

    [TestMethod]
    public async Task TooManyFieldsAreRejected()
    {
        var body = string.Join('&', Enumerable.Range(0, 40).Select(i => $"f{i}=1"));

        var (form, error) = await OAuthFormReader.ReadAsync(Request(body), CancellationToken.None);

        Assert.IsNull(form);
        Assert.AreEqual(OAuthError.InvalidRequest, error!.Error);
    }

    private static HttpRequest Request(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }
}
