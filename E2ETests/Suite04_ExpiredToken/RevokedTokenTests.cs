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
}
