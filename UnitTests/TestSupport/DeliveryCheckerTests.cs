using AspireResilience.Protocol;
using AspireResilience.TestSupport.Soak;

namespace AspireResilience.UnitTests.TestSupport;

/// <summary>
/// The soak's checker over synthetic histories: one that keeps the contract passes, and each
/// way of breaking it (lost, duplicated, reordered, wrong text, an undocumented resumed:false,
/// a stuck client…) makes it fail with a violation that names the client.
/// </summary>
[TestClass]
public sealed class DeliveryCheckerTests
{
    // The reference answers: the prompt "q" answers differently at each turn (the context grows).
    private static readonly Dictionary<(string, int), string> References = new()
    {
        [("q", 0)] = "a b ",
        [("q", 1)] = "c d ",
        [("q", 2)] = "e f ",
    };

    [TestMethod]
    public void AHistoryThatKeepsTheContractThroughAResumePasses()
    {
        var verdict = Check([Welcome(1),
            new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "),
            new PromptSent("p1", "q"), .. Answer(5, "p1", "c ")[..2],
            new LinkDropped(null, "WebSocketException"), new WelcomeSeen("s1", true, null, 2),
            .. Answer(5, "p1", "c ", "d ")[2..],
            .. Healthy(p: "p2", firstSeq: 9, "e ", "f ")]);

        Assert.IsTrue(verdict.Passed, string.Join('\n', verdict.Violations));
        Assert.AreEqual((1, 3, 3, 1, 12L, 0L, 0L), (verdict.Clients, verdict.Prompts, verdict.Answers, verdict.Resumes, verdict.Events, verdict.Lost, verdict.Duplicated));
    }

    [TestMethod]
    public void ChainedEventsThatContinueTheSessionsChainPassAndABrokenLinkFails()
    {
        EventDelivered[] Chained(IEnumerable<EventDelivered> events)
        {
            var chain = EventChain.Genesis("s1");
            return [.. events.Select(e => e with { Chain = chain = EventChain.Next(chain, e.Seq, e.Kind, e.RunId, e.Index, e.Text) })];
        }
        var answer = Chained([.. Answer(1, "p0", "a ", "b "), .. Answer(5, "p1", "c ", "d ")]);
        HistoryEntry[] History(EventDelivered[] events) =>
            [Welcome(1), new PromptSent("p0", "q"), .. events[..4], new PromptSent("p1", "q"), .. events[4..], .. Healthy(p: "p2", firstSeq: 9, "e ", "f ")];

        var kept = Check(History(answer));
        Assert.IsTrue(kept.Passed, string.Join('\n', kept.Violations));
        Assert.AreEqual((8L, 0L), (kept.ChainChecked, kept.ChainBreaks));

        // The server's stored chain for seq 6 is not the one its predecessor leads to (corrupted, or another stream's).
        var broken = answer.ToArray();
        broken[5] = broken[5] with { Chain = EventChain.Genesis("another session") };
        var verdict = Check(History(broken));
        Assert.AreEqual(1L, verdict.ChainBreaks);
        AssertViolation(verdict, "seq 6's chain does not continue the session's chain");
    }

    [TestMethod]
    public void AnEventThatNeverArrivedIsLost()
    {
        var answer = Answer(1, "p0", "a ", "b ");
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), answer[0], answer[1], answer[3], .. Healthy(p: "p1", firstSeq: 5, "c ", "d ")]);

        Assert.AreEqual(1, verdict.Lost);
        AssertViolation(verdict, "1 seq(s) below 8 never reached the application (first: 3)");
    }

    [TestMethod]
    public void AnEventDeliveredTwiceIsDuplicated()
    {
        var answer = Answer(1, "p0", "a ", "b ");
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), answer[0], answer[1], answer[1], answer[2], answer[3],
            .. Healthy(p: "p1", firstSeq: 5, "c ", "d ")]);

        Assert.AreEqual(1, verdict.Duplicated);
        Assert.AreEqual(0, verdict.Lost);
        AssertViolation(verdict, "seq 2 reached the application twice");
    }

    [TestMethod]
    public void EventsOutOfOrderAreReordered()
    {
        var answer = Answer(1, "p0", "a ", "b ");
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), answer[0], answer[2], answer[1], answer[3],
            .. Healthy(p: "p1", firstSeq: 5, "c ", "d ")]);

        Assert.AreEqual(1, verdict.Reordered);
        Assert.AreEqual(0, verdict.Lost, "every seq arrived in the end");
        AssertViolation(verdict, "seq 2 arrived after seq 3");
    }

    [TestMethod]
    public void AnAnswerThatDiffersFromItsReferenceFails()
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "X "), .. Healthy(p: "p1", firstSeq: 5, "c ", "d ")]);

        AssertViolation(verdict, "run p0: the answer differs from the reference (turn 0)");
    }

    [TestMethod]
    public void AnAnswerThatLostItsContextFailsAsWrongText()
    {
        // The second prompt answered as if it were the first: the context before it was lost.
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "),
            new PromptSent("p1", "q"), .. Answer(5, "p1", "a ", "b "), .. Healthy(p: "p2", firstSeq: 9, "e ", "f ")]);

        AssertViolation(verdict, "run p1: the answer differs from the reference (turn 1)");
    }

    [TestMethod]
    public void APromptWithoutAnAnswerOrWithHalfOfOneFails()
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b ")[..2], new PromptSent("p1", "q"),
            new FaultsStopped(), new FinalState("Resumed", 1)]);

        AssertViolation(verdict, "prompt p0 got an incomplete answer (events up to index 1, no stream.end)");
        AssertViolation(verdict, "prompt p1 never got an answer");
    }

    [TestMethod]
    public void ASecondAnswerToOnePromptFails()
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "), .. Answer(5, "p0", "a ", "b "),
            .. Healthy(p: "p1", firstSeq: 9, "c ", "d ")]);

        AssertViolation(verdict, "run p0: stream.start (index 0) after its stream.end: a second answer");
    }

    [TestMethod]
    public void AnEventOfARunNobodyAskedForFails()
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "),
            new EventDelivered(5, EventKinds.StreamStart, "someone-else", 0, ""), .. Healthy(p: "p1", firstSeq: 6, "c ", "d ")]);

        AssertViolation(verdict, "seq 5: an event of run someone-else, which this client never asked for");
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("restarted")]
    public void AResumedFalseWithoutADocumentedReasonFails(string? reason)
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "),
            new LinkDropped(1001, "going away"), new WelcomeSeen("s2", false, reason, 2), .. Healthy(p: "p1", firstSeq: 1, "a ", "b ")]);

        AssertViolation(verdict, $"resume attempt 2 answered resumed:false with an undocumented reason '{reason ?? "(none)"}'");
    }

    [TestMethod]
    public void AFreshSessionWithADocumentedReasonStartsAgainAtSeqOneAndMayAbandonTheRunItLost()
    {
        // Redis lost its data mid-answer: resumed:false, reason epoch; the new session's seqs and turns start again.
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "),
            new PromptSent("p1", "q"), .. Answer(5, "p1", "c ")[..2],
            new LinkDropped(1013, "try again later"), new WelcomeSeen("s2", false, ResumeFailureReasons.Epoch, 2), new PromptAbandoned("p1"),
            .. Healthy(p: "p2", firstSeq: 1, "a ", "b ")]);

        Assert.IsTrue(verdict.Passed, string.Join('\n', verdict.Violations));
        Assert.AreEqual(1, verdict.FreshSessions);
    }

    [TestMethod]
    public void AFreshSessionForAReasonTheRunDoesNotJustifyFails()
    {
        // The soak keeps Redis's data and never nears the outbox cap: a 'gap' there is data the server lost.
        HistoryEntry[] history = [Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ")[..2],
            new LinkDropped(null, "WebSocketException"), new WelcomeSeen("s2", false, ResumeFailureReasons.Gap, 2), new PromptAbandoned("p0"),
            .. Healthy(p: "p1", firstSeq: 1, "a ", "b ")];

        Assert.IsTrue(DeliveryChecker.Check([ClientHistory.Of("c1", history)], Reference).Passed, "documented, and justified by default");
        var verdict = DeliveryChecker.Check([ClientHistory.Of("c1", history)], Reference, justifiedReasons: new HashSet<string>());

        AssertViolation(verdict, "resume attempt 2 answered resumed:false 'gap': documented, but nothing in this run justifies it (justified here: none)");
    }

    [TestMethod]
    public void AnAbandonedPromptWithoutAFreshSessionFails()
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), new PromptAbandoned("p0"), .. Healthy(p: "p1", firstSeq: 1, "a ", "b ")]);

        AssertViolation(verdict, "prompt p0 was abandoned without a fresh session (resumed:false) just before");
    }

    [TestMethod]
    public void AClientLeftResumingAfterTheFaultsIsStuck()
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "),
            new LinkDropped(null, "heartbeat"), new FaultsStopped(), new PromptSent("p1", "q"), new FinalState("Resuming", 1)]);

        AssertViolation(verdict, "stuck: no answer after the faults stopped");
        AssertViolation(verdict, "stuck: final state Resuming with 1 prompts unanswered");
    }

    [TestMethod]
    public void AHistoryThatEndsBeforeTheFaultsStoppedFails()
    {
        var verdict = Check([Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b ")]);

        AssertViolation(verdict, "the history ends before the faults stopped");
    }

    [TestMethod]
    public void EveryViolationNamesItsClientAndTheCountsAddUpOverClients()
    {
        var good = ClientHistory.Of("good", [Welcome(1), new PromptSent("p0", "q"), .. Answer(1, "p0", "a ", "b "), .. Healthy(p: "p1", firstSeq: 5, "c ", "d ")]);
        var answer = Answer(1, "p0", "a ", "b ");
        var bad = ClientHistory.Of("bad", [Welcome(1), new PromptSent("p0", "q"), answer[0], answer[0], answer[1], answer[2], answer[3],
            .. Healthy(p: "p1", firstSeq: 5, "c ", "d ")]);

        var verdict = DeliveryChecker.Check([good, bad], Reference);

        Assert.AreEqual(2, verdict.Clients);
        Assert.AreEqual(1, verdict.Duplicated);
        Assert.IsTrue(verdict.Violations.All(v => v.StartsWith("bad: ", StringComparison.Ordinal)), string.Join('\n', verdict.Violations));
    }

    private static DeliveryVerdict Check(HistoryEntry[] entries) => DeliveryChecker.Check([ClientHistory.Of("c1", entries)], Reference);

    private static string? Reference(string prompt, int turn) => References.GetValueOrDefault((prompt, turn));

    private static void AssertViolation(DeliveryVerdict verdict, string fragment)
    {
        Assert.IsFalse(verdict.Passed);
        Assert.IsTrue(verdict.Violations.Any(v => v.Contains(fragment, StringComparison.Ordinal)),
            $"no violation says '{fragment}':\n{string.Join('\n', verdict.Violations)}");
    }

    private static WelcomeSeen Welcome(int generation) => new("s1", generation > 1, null, generation);

    /// <summary>A run's events from <paramref name="firstSeq"/>: start, one per chunk, end.</summary>
    private static EventDelivered[] Answer(long firstSeq, string runId, params string[] chunks) =>
    [
        new(firstSeq, EventKinds.StreamStart, runId, 0, ""),
        .. chunks.Select((text, i) => new EventDelivered(firstSeq + 1 + i, EventKinds.StreamChunk, runId, i + 1, text)),
        new(firstSeq + 1 + chunks.Length, EventKinds.StreamEnd, runId, chunks.Length + 1, ""),
    ];

    /// <summary>The faults stop, one more prompt is answered in full, the client ends resumed with nothing pending.</summary>
    private static HistoryEntry[] Healthy(string p, long firstSeq, params string[] chunks) =>
        [new FaultsStopped(), new PromptSent(p, "q"), .. Answer(firstSeq, p, chunks), new FinalState("Resumed", 0)];
}
