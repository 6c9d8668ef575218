using AspireResilience.Client;
using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Client;

/// <summary>
/// The reference client's v1.1 checks over scripted sockets: an event that breaks the chain is
/// never delivered, is reported (connection event, reconnect span) and the session resumes with
/// the chain it had; a snapshot reaches the application only when its chain matches.
/// </summary>
[TestClass]
public sealed class ChainVerificationTests
{
    private const string SessionId = "s1";
    private static readonly string Genesis = EventChain.Genesis(SessionId);

    [TestMethod]
    public async Task AnEventThatBreaksTheChainIsNeverDeliveredAndTheResumeCarriesTheLastGoodChain()
    {
        using var reconnect = new ClientSpanListener("client.reconnect", a => a.GetTagItem(ClientTelemetry.ChainMismatchSeq) is not null);
        var first = Event(1, "hello", Genesis);
        var tampered = Event(2, "tampered", first.Chain!) with { Chain = EventChain.Next(first.Chain!, 2, EventKinds.StreamChunk, "r1", 2, "original") };
        var sockets = new Queue<ScriptedServerSocket>([
            new(Welcome(resumed: false, Genesis), null, afterWelcome: [Json(first), Json(tampered)]),
            new(Welcome(resumed: true, first.Chain), null)]);
        var second = sockets.Last();

        await using var session = await ScriptedSession.ConnectAsync(sockets);
        var span = await reconnect.Stopped.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(first, await session.Events.ReadAsync());
        Assert.IsFalse(session.Events.TryRead(out var more), $"the tampered event reached the application: {more}");
        var changes = new List<ConnectionEvent>();
        while (session.ConnectionEvents.TryRead(out var change)) changes.Add(change);
        Assert.Contains(new ChainMismatch(SessionId, 2, EventChain.Next(first.Chain!, tampered), tampered.Chain), changes);
        Assert.Contains(new Disconnected(null, ClientTelemetry.ChainMismatchReason), changes);
        Assert.AreEqual(1, session.ChainMismatches);
        Assert.AreEqual(1, session.LastSeq);
        Assert.AreEqual(first.Chain, session.LastChain);
        Assert.Contains(s => s.Contains("\"lastSeq\":1") && s.Contains($"\"lastChain\":\"{first.Chain}\""), second.Sent);
        Assert.AreEqual(2L, span.GetTagItem(ClientTelemetry.ChainMismatchSeq));
        Assert.AreEqual(ClientTelemetry.ChainMismatchReason, span.GetTagItem(ClientTelemetry.ReconnectReason));
        Assert.Contains(e => e.Name == ClientTelemetry.ChainMismatchEvent, span.Events);
    }

    [TestMethod]
    public async Task ASnapshotWhoseChainMatchesIsHandedOverAndATamperedOneIsNot()
    {
        SnapshotTurn[] turns = [new(SnapshotTurn.User, "p1", "hi"), new(SnapshotTurn.Agent, "p1", "hello")];
        var good = new SnapshotMessage("old", turns, false, EventChain.OfSnapshot("old", turns, false));
        var tampered = good with { Turns = [turns[0], turns[1] with { Text = "goodbye" }] };
        var sockets = new Queue<ScriptedServerSocket>([
            new(Welcome(resumed: false, Genesis, ResumeFailureReasons.Gap), null, afterWelcome: [Json(good), Json(tampered)]),
            new(Welcome(resumed: true, Genesis), null)]);

        await using var session = await ScriptedSession.ConnectAsync(sockets);
        var changes = new List<ConnectionEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (changes.Count(c => c is Welcomed) < 2) changes.Add(await session.ConnectionEvents.ReadAsync(timeout.Token));

        var received = changes.OfType<SnapshotReceived>().Single().Snapshot;
        CollectionAssert.AreEqual(turns, received.Turns.ToArray());
        Assert.AreEqual(good.Chain, received.Chain);
        Assert.AreEqual(0, changes.OfType<ChainMismatch>().Single().Seq, "the tampered snapshot is reported, not delivered");
    }

    [TestMethod]
    public async Task AV1ServerWithoutChainsIsServedAsBefore()
    {
        var plain = new EventMessage(1, EventKinds.StreamChunk, 1, "hello", "r1");
        var sockets = new Queue<ScriptedServerSocket>([new(ScriptedSession.Welcome(resumed: false), null, afterWelcome: [Json(plain)])]);

        await using var session = await ScriptedSession.ConnectAsync(sockets);

        Assert.AreEqual(plain, await session.Events.ReadAsync());
        Assert.IsNull(session.LastChain);
        Assert.AreEqual(0, session.ChainMismatches);
    }

    private static EventMessage Event(long seq, string text, string previous)
    {
        var e = new EventMessage(seq, EventKinds.StreamChunk, (int)seq, text, "r1");
        return e with { Chain = EventChain.Next(previous, e) };
    }

    private static string Welcome(bool resumed, string? chain, string? reason = null) =>
        Json(new WelcomeMessage(SessionId, resumed, "e1", 0, 0, 0, 60, reason, chain));

    private static string Json(ServerMessage message) => System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(message));
}
