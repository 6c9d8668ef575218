using AspireResilience.E2ETests.Suite10_TokenRefresh;
using AspireResilience.Protocol;

namespace AspireResilience.E2ETests.Suite04_ExpiredToken;

/// <summary>Suite04 #9: a revoked token is rejected at the door and the live sockets running on it are closed 4003.</summary>
[TestClass]
[TestCategory("Suite04")]
public sealed class RevokedTokenTests : E2ETest<SharedEnvironment>
{
    [TestMethod]
    public async Task RevokedFamilyClosesItsLiveSockets4003AndItsTokensAreRejected()
    {
        var (name, password) = Env.Users.Next();
        var login = await Env.Tokens.PasswordAsync(name, password, Timeouts.Token());
        await using var live = await RawClient.ConnectAsync(Env.BackendWebSocket);
        var sessionId = (await live.HelloAsync(login.AccessToken)).SessionId;

        // RFC 7009 with the refresh token: the whole family, and every access token it issued, is revoked.
        await Env.Tokens.RevokeAsync(login.RefreshToken, "refresh_token", Timeouts.Token());

        var (close, _) = await live.ReceiveCloseAsync(TimeSpan.FromSeconds(5));
        Assert.AreEqual(CloseCodes.Forbidden, (int?)close.CloseStatus);
        var revoke = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Auth, null, "token.revoke", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("user.id") == name);
        var closed = await Env.Telemetry.WaitForSpanAsync(ResourceNames.Backend, null, "session.revoked", Timeouts.Telemetry,
            s => s.Attributes.GetValueOrDefault("session.id") == sessionId);
        Budget.AssertWithin("revocation → socket closed 4003 (refresh-token family)", closed.End - revoke.Start, TokenRefreshTests.RevocationBudget,
            "authservice token.revoke start → backend session.revoked end");

        // At the door: the family's access token (still within its lifetime) opens nothing, and resumes nothing.
        await using var again = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await again.SendAsync(ProtocolJson.Serialize(new HelloMessage(login.AccessToken, sessionId, 0)), System.Net.WebSockets.WebSocketMessageType.Text);
        var (rejected, before) = await again.ReceiveCloseAsync();
        Assert.AreEqual(CloseCodes.Forbidden, (int?)rejected.CloseStatus);
        Assert.IsEmpty(before, "no welcome");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => Env.Tokens.RefreshAsync(login.RefreshToken, Timeouts.Token()));
        Assert.Contains("invalid_grant", refused.Message);
    }

    [TestMethod]
    public async Task RevokeAllTokensFromTheDashboardClosesEveryUsersSocketsAndRefreshTokensButNotTheNextSignIn()
    {
        var users = new[] { Env.Users.Next(), Env.Users.Next() };
        var logins = await Task.WhenAll(users.Select(u => Env.Tokens.PasswordAsync(u.Name, u.Password, Timeouts.Token())));
        var sockets = new List<RawClient>();
        foreach (var login in logins)
        {
            var socket = await RawClient.ConnectAsync(Env.BackendWebSocket);
            await socket.HelloAsync(login.AccessToken);
            sockets.Add(socket);
        }

        // The AuthService's "Revoke all tokens", through Aspire's command service as the dashboard calls it.
        var answer = await Env.Faults.RevokeAllTokensAsync();

        var revoked = System.Text.Json.JsonDocument.Parse(answer).RootElement.GetProperty("revoked").GetInt32();
        Assert.IsGreaterThanOrEqualTo(users.Length, revoked, $"both users' families were among those revoked: {answer}");
        foreach (var socket in sockets)
        {
            await using (socket)
            {
                var (close, _) = await socket.ReceiveCloseAsync(TimeSpan.FromSeconds(5));
                Assert.AreEqual(CloseCodes.Forbidden, (int?)close.CloseStatus, "every live socket closes 4003");
            }
        }
        foreach (var login in logins)
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => Env.Tokens.RefreshAsync(login.RefreshToken, Timeouts.Token()));
            Assert.Contains("invalid_grant", refused.Message);
        }

        // Signing in again starts a new family the revocation did not touch.
        var again = await Env.Tokens.PasswordAsync(users[0].Name, users[0].Password, Timeouts.Token());
        await using var fresh = await RawClient.ConnectAsync(Env.BackendWebSocket);
        Assert.IsFalse((await fresh.HelloAsync(again.AccessToken)).Resumed, "a new sign-in connects");
    }
}
