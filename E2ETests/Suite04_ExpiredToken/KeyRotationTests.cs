using AspireResilience.E2ETests.Suite10_TokenRefresh;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Telemetry;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AspireResilience.E2ETests.Suite04_ExpiredToken;

/// <summary>
/// Suite04 #11: the signing key rotated in the AuthService (the dashboard's command) while the
/// Backend runs on. Rotation is global state, so it happens only in <see cref="ShortTokenEnvironment"/>,
/// whose JWKS says max-age 2 s.
/// </summary>
[TestClass]
[TestCategory("Suite04")]
public sealed class KeyRotationTests : E2ETest<ShortTokenEnvironment>
{
    [TestMethod]
    public async Task RotatedKeyIsTrustedAfterOneJwksFetchAndTheKeyItPushesOutIsNot()
    {
        var backend = ResourceInstance.Read(Env.App, ResourceNames.Backend, Env.Faults.Instances(ResourceNames.Backend).Single()).TelemetryName;
        var oldest = TokenForge.Load(Env.DataDirectory);
        // A live session moves to the new key in-band, without a disconnect.
        await using var live = await SessionFactory.ConnectAsync(Env);

        await RotateAsync();
        var previous = TokenForge.Load(Env.DataDirectory);
        Assert.AreNotEqual(oldest.CurrentKid, previous.CurrentKid);
        var issued = await RawClient.TokenAsync(Env);
        Assert.AreEqual(previous.CurrentKid, new JsonWebToken(issued).Kid, "new tokens carry the new kid");
        await live.Session.RefreshTokenAsync(Timeouts.Token());

        Assert.IsNull(await HelloCloseCodeAsync(issued), "a token signed with the new key is accepted, no Backend restart");
        Assert.IsNull(await HelloCloseCodeAsync(oldest.Create(Env.Users.Next().Name)), "the previous key is still in the JWKS");
        var fetches = await JwksChangesAsync(backend, previous.CurrentKid, added: true);
        Assert.HasCount(1, fetches, "one JWKS fetch brought the new key in: " + string.Join(" | ", fetches.Select(l => l.Message)));
        ConnectionAssert.StillOnTheFirstConnection(live.Session);
        await live.DisposeAsync();

        // A second rotation pushes the oldest key out of the JWKS; the Backend's scheduled re-read
        // (max-age) drops it without any token asking.
        await RotateAsync();
        var removed = await JwksChangesAsync(backend, oldest.CurrentKid, added: false);
        Assert.HasCount(1, removed);
        Assert.Contains("(Expired)", removed[0].Message, "the scheduled re-read dropped the key: " + removed[0].Message);
        Assert.AreEqual(CloseCodes.Forbidden, await HelloCloseCodeAsync(oldest.Create(Env.Users.Next().Name)), "a key gone from the JWKS is not trusted");
        Assert.IsNull(await HelloCloseCodeAsync(previous.Create(Env.Users.Next().Name)), "the key before the current one still is");
    }

    private static async Task RotateAsync()
    {
        var result = await Env.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Auth, AuthAdminApi.RotateKeyCommand, Timeouts.Token());
        Assert.IsTrue(result.Success, result.Message);
    }

    /// <summary>The Backend's JWKS logs that added (or removed) <paramref name="kid"/>, once at least one has arrived.</summary>
    private static async Task<IReadOnlyList<TelemetryLog>> JwksChangesAsync(string backend, string kid, bool added)
    {
        var marker = added ? "added [" : "removed [";
        bool Names(TelemetryLog log) =>
            log.Message.StartsWith("JWKS fetched", StringComparison.Ordinal)
            && log.Message[(log.Message.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split(']')[0].Split(',').Contains(kid);
        await Env.Telemetry.WaitForLogAsync(backend, "Information", Timeouts.Telemetry, Names);
        return [.. (await Env.Telemetry.GetLogsAsync(backend, "Information", null, Timeouts.Token()))!.Where(Names)];
    }

    /// <summary>The close code of a hello with <paramref name="token"/>; null when it was welcomed.</summary>
    private static async Task<int?> HelloCloseCodeAsync(string token)
    {
        await using var raw = await RawClient.ConnectAsync(Env.BackendWebSocket);
        await raw.SendAsync(ProtocolJson.Serialize(new HelloMessage(token)), System.Net.WebSockets.WebSocketMessageType.Text);
        var answer = await raw.ReceiveAsync();
        return answer.Message is WelcomeMessage ? null : (int?)answer.CloseStatus;
    }
}
