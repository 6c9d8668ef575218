using System.Net;
using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

[TestClass]
public sealed class ConnectionStateTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [TestMethod]
    public async Task StatesFollowTheLinkFromConnectingToClosed()
    {
        var sockets = new Queue<ScriptedServerSocket>([
            new(ScriptedSession.Welcome(resumed: false), null),
            new(ScriptedSession.Welcome(resumed: true, replayCount: 3), null)]);
        var session = await ResilientSession.ConnectAsync(Options(sockets, reconnectDelay: TimeSpan.Zero), CancellationToken.None);
        var opened = session.State;
        var states = new List<ConnectionState>();
        session.StateChanged += (_, state) => states.Add(state);

        session.AbortConnection();
        await WaitForWelcomeAsync(session, generation: 2);
        await session.DisposeAsync();

        Assert.AreEqual(new ConnectionState(ConnectionStatus.Open), opened);
        CollectionAssert.AreEqual(
            new[] { ConnectionStatus.Resuming, ConnectionStatus.Resumed, ConnectionStatus.Closed },
            states.Select(s => s.Status).ToArray());
        Assert.AreEqual(nameof(WebSocketException), states[0].Reason);
        Assert.AreEqual(3, states[1].ReplayCount);
        Assert.AreEqual("disposed", states[2].Reason);
        Assert.AreEqual(ConnectionStatus.Closed, session.State.Status);
    }

    [TestMethod]
    public async Task WhoeverHearsTheDisconnectSeesTheSessionResuming()
    {
        var sockets = new Queue<ScriptedServerSocket>([new(ScriptedSession.Welcome(resumed: false), null)]);
        // The backoff takes an hour: the session stays in Resuming while the test looks.
        await using var session = await ResilientSession.ConnectAsync(Options(sockets, reconnectDelay: Hour), CancellationToken.None);

        session.AbortConnection();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await session.ConnectionEvents.ReadAsync(timeout.Token) is not Disconnected) { }

        Assert.AreEqual(ConnectionStatus.Resuming, session.State.Status);
    }

    [TestMethod]
    public async Task AFailedResumeIsOpenWithTheReasonHistoryIsGone()
    {
        var expired = """{"type":"welcome","sessionId":"s2","resumed":false,"epoch":"e1","replayCount":0,"heartbeatMs":0,"tokenExpiresAt":0,"resumeWindowSec":60,"reason":"expired"}""";
        var sockets = new Queue<ScriptedServerSocket>([new(expired, null)]);
        var options = Options(sockets, reconnectDelay: TimeSpan.Zero);
        await using var session = await ResilientSession.ResumeAsync(options, "s1", 7, "e1", CancellationToken.None);

        Assert.AreEqual(new ConnectionState(ConnectionStatus.Open, Reason: "expired"), session.State);
    }

    [TestMethod]
    public async Task StateIsBindableThroughPropertyChanged()
    {
        var sockets = new Queue<ScriptedServerSocket>([new(ScriptedSession.Welcome(resumed: false), null)]);
        var session = await ResilientSession.ConnectAsync(Options(sockets, reconnectDelay: TimeSpan.Zero), CancellationToken.None);
        var changed = new List<string?>();
        session.PropertyChanged += (_, e) => changed.Add(e.PropertyName);
        await session.DisposeAsync();

        CollectionAssert.AreEqual(new[] { nameof(ResilientSession.State) }, changed);
    }

    [TestMethod]
    public async Task SwitchingNetworkReconnectsAtOnceFromTheNewAddressToTheNewEndpoint()
    {
        var paths = new List<NetworkPath>();
        var sockets = new Queue<ScriptedServerSocket>([
            new(ScriptedSession.Welcome(resumed: false), null),
            new(ScriptedSession.Welcome(resumed: true), null)]);
        // Every backoff would take its full hour: only skipping it lets the switch resume in time.
        await using var session = await ResilientSession.ConnectAsync(Options(sockets, reconnectDelay: Hour, paths), CancellationToken.None);
        var states = new List<ConnectionState>();
        session.StateChanged += (_, state) => states.Add(state);

        var wifi = new Uri("ws://other/ws");
        session.SwitchNetwork(IPAddress.Parse("127.0.0.2"), wifi);
        await WaitForWelcomeAsync(session, generation: 2);

        Assert.AreEqual(new NetworkPath(new Uri("ws://test/ws"), IPAddress.Loopback), paths[0]);
        Assert.AreEqual(new NetworkPath(wifi, IPAddress.Parse("127.0.0.2")), paths[1]);
        Assert.AreEqual(ClientTelemetry.NetworkSwitchReason, states.Single(s => s.Status == ConnectionStatus.Resuming).Reason);
    }

    private static ResilientSessionOptions Options(Queue<ScriptedServerSocket> sockets, TimeSpan reconnectDelay, List<NetworkPath>? paths = null) => new()
    {
        Endpoint = new Uri("ws://test/ws"),
        LocalAddress = IPAddress.Loopback,
        AccessTokenProvider = (_, _) => ValueTask.FromResult("token"),
        Connector = (path, _) =>
        {
            paths?.Add(path);
            var socket = sockets.Dequeue();
            return ValueTask.FromResult<WebSocket>(socket);
        },
        ReconnectBaseDelay = reconnectDelay,
        ReconnectMaxDelay = Hour,
        Random = () => 1,
    };

    private static async Task WaitForWelcomeAsync(ResilientSession session, int generation)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await session.ConnectionEvents.ReadAsync(timeout.Token) is not Welcomed w || w.Generation < generation) { }
    }
}
