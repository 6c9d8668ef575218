using System.Net;
using System.Net.Sockets;

namespace AspireResilience.E2ETests.Suite10_TokenRefresh;

/// <summary>
/// The token endpoint's rate limits (docs/auth.md): per username for password grants and per
/// client address for every request, both answered 429 with <c>Retry-After</c>, neither touching
/// anyone else. Defaults: 10 password grants per username and 300 requests per address per 10 s.
/// </summary>
[TestClass]
[TestCategory("Suite10")]
public sealed class TokenEndpointLimitsTests : E2ETest<SharedEnvironment>
{
    private const int PerUsername = 10;
    private const int PerAddress = 300;

    [TestMethod]
    public async Task PasswordGuessesOnOneUsernameAreAnswered429WithRetryAfter()
    {
        var (name, password) = Env.Users.Next();
        using var http = Env.App.CreateHttpClient(ResourceNames.Auth);
        for (var i = 0; i < PerUsername; i++)
        {
            using var guess = await PasswordGrantAsync(http, name, $"guess-{i}");
            Assert.AreEqual(HttpStatusCode.BadRequest, guess.StatusCode, $"guess {i + 1} is an ordinary invalid_grant");
        }

        using var limited = await PasswordGrantAsync(http, name, password);

        AssertTooManyRequests(limited, "even the right password waits once the username's limit is spent");
        Assert.Contains("temporarily_unavailable", await limited.Content.ReadAsStringAsync(Timeouts.Token()));
        var (other, otherPassword) = Env.Users.Next();
        using var unaffected = await PasswordGrantAsync(http, other, otherPassword);
        Assert.AreEqual(HttpStatusCode.OK, unaffected.StatusCode, "another username is not limited");
    }

    [TestMethod]
    public async Task OneClientAddressIsLimitedAndOthersAreNot()
    {
        // Straight to the AuthService process (DCP's proxy would make every client 127.0.0.1),
        // from a loopback address of its own.
        var auth = ResourceInstance.Read(Env.App, ResourceNames.Auth, Env.Faults.Instances(ResourceNames.Auth).Single()).Address;
        using var flood = new HttpClient(new SocketsHttpHandler { ConnectCallback = (context, cancellationToken) => ConnectFromAsync(IPAddress.Parse("127.0.0.9"), auth.Port, cancellationToken) })
        {
            BaseAddress = auth,
        };
        for (var i = 0; i < PerAddress; i++)
        {
            using var request = await flood.PostAsync("/connect/token", new FormUrlEncodedContent([]), Timeouts.Token());
            Assert.AreEqual(HttpStatusCode.BadRequest, request.StatusCode, $"request {i + 1} is within the address's limit");
        }

        using var limited = await flood.PostAsync("/connect/token", new FormUrlEncodedContent([]), Timeouts.Token());

        AssertTooManyRequests(limited, "the address's limit is spent");
        var (name, password) = Env.Users.Next();
        using var http = Env.App.CreateHttpClient(ResourceNames.Auth);
        using var unaffected = await PasswordGrantAsync(http, name, password);
        Assert.AreEqual(HttpStatusCode.OK, unaffected.StatusCode, "other addresses are not limited");
    }

    private static Task<HttpResponseMessage> PasswordGrantAsync(HttpClient http, string user, string password) =>
        http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = user,
            ["password"] = password,
        }), Timeouts.Token());

    private static void AssertTooManyRequests(HttpResponseMessage response, string why)
    {
        Assert.AreEqual(HttpStatusCode.TooManyRequests, response.StatusCode, why);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.IsNotNull(retryAfter, "429 says when to come back");
        Assert.IsTrue(retryAfter >= TimeSpan.FromSeconds(1) && retryAfter <= TimeSpan.FromSeconds(10), $"Retry-After {retryAfter} is within the 10 s window");
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
