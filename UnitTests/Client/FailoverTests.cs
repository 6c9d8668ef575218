using System.Net.Sockets;
using System.Net.WebSockets;
using AspireResilience.Client;

namespace AspireResilience.UnitTests.Client;

/// <summary>
/// How fast a session moves when its server goes: a refused address is left for the next one at
/// once, and a server that says 1001 is reconnected to at once. The backoff here is an hour and the
/// jitter draws its ceiling (all but the first draw), so a reconnect that waited for it would never
/// come within the test's timeout.
/// </summary>
[TestClass]
public sealed class FailoverTests
{
    private static readonly Uri Dead = new("ws://dead/ws"), Alive = new("ws://alive/ws");
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [TestMethod]
    public async Task ADroppedLinkWhoseAddressNowRefusesResumesOnTheAlternateWithoutBackoff()
    {
        var connects = new List<Uri>();
        var first = true;
        await using var session = await ResilientSession.ConnectAsync(Options((path, _) =>
        {
            var uri = path.Endpoint;
            lock (connects) connects.Add(uri);
            if (first)
            {
                first = false;
                return ValueTask.FromResult<WebSocket>(new ScriptedServerSocket(ScriptedSession.Welcome(resumed: false), new WebSocketException("the process died")));
            }
            return uri == Dead
                ? ValueTask.FromException<WebSocket>(new WebSocketException("Unable to connect", new SocketException((int)SocketError.ConnectionRefused)))
                : ValueTask.FromResult<WebSocket>(new ScriptedServerSocket(ScriptedSession.Welcome(resumed: true), null));
        }), CancellationToken.None);

        await WaitForWelcomeAsync(session, generation: 2);

        CollectionAssert.AreEqual(new[] { Dead, Dead, Alive }, connects);
    }

    [TestMethod]
    public async Task GoingAwayIsFollowedByAnImmediateReconnect()
    {
        var sockets = new Queue<ScriptedServerSocket>([
            new ScriptedServerSocket(ScriptedSession.Welcome(resumed: false), null, WebSocketCloseStatus.EndpointUnavailable),
            new ScriptedServerSocket(ScriptedSession.Welcome(resumed: true), null)]);
        // Every draw takes the full ceiling: only the going-away delay (zero here) lets it go at once.
        var options = Options((_, _) => ValueTask.FromResult<WebSocket>(sockets.Dequeue()));
        await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
        {
            Endpoint = options.Endpoint,
            AccessTokenProvider = options.AccessTokenProvider,
            Connector = options.Connector,
            ReconnectBaseDelay = Hour,
            ReconnectMaxDelay = Hour,
            GoingAwayReconnectDelay = TimeSpan.Zero,
            Random = () => 1,
        }, CancellationToken.None);

        var welcome = await WaitForWelcomeAsync(session, generation: 2);

        Assert.IsTrue(welcome.Resumed);
    }

    private static ResilientSessionOptions Options(Func<NetworkPath, CancellationToken, ValueTask<WebSocket>> connector) => new()
    {
        Endpoint = Dead,
        AlternateEndpoints = [Alive],
        AccessTokenProvider = (_, _) => ValueTask.FromResult("token"),
        Connector = connector,
        ReconnectBaseDelay = Hour,
        ReconnectMaxDelay = Hour,
        GoingAwayReconnectDelay = TimeSpan.Zero,
        // The first reconnect after the drop goes at once; any later backoff would take its full hour.
        Random = FirstZeroThenOne(),
    };

    private static Func<double> FirstZeroThenOne()
    {
        var draws = 0;
        return () => Interlocked.Increment(ref draws) == 1 ? 0 : 1;
    }

    private static async Task<AspireResilience.Protocol.WelcomeMessage> WaitForWelcomeAsync(ResilientSession session, int generation)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await session.ConnectionEvents.ReadAsync(timeout.Token) is Welcomed w && w.Generation >= generation) return w.Welcome;
        }
    }
}
