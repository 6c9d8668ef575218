using System.Text;
using AspireResilience.Protocol;

namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// Checks recorded client histories against the delivery contract (docs/protocol.md), in the
/// manner of Jepsen's checkers: a pure function of the histories and the reference answers, so
/// a failing soak can be re-checked, and unit tests can feed it histories that break each rule.
/// Per client and per session:
/// <list type="bullet">
/// <item>seq runs 1, 2, 3… with no hole (lost), no repeat (duplicated) and never backwards (reordered);</item>
/// <item>every prompt got exactly one complete answer (start, chunks with continuous indices, end),
/// byte-identical to the reference answer for that prompt at that turn of the session;</item>
/// <item>every <c>resumed:false</c> on a resume attempt carries a documented reason;</item>
/// <item>after the faults stopped the client was served again and ended healthy (not stuck).</item>
/// </list>
/// </summary>
public static class DeliveryChecker
{
    /// <summary>The documented <c>welcome.reason</c> values (docs/protocol.md).</summary>
    public static IReadOnlySet<string> DocumentedReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ResumeFailureReasons.Unknown, ResumeFailureReasons.Expired, ResumeFailureReasons.Gap, ResumeFailureReasons.Epoch,
    };

    /// <param name="histories">Every client's history.</param>
    /// <param name="reference">
    /// The uninterrupted answer to a prompt asked as the session's turn-th question (0: the first;
    /// the answer depends on the context before it); null when there is none, which is a violation.
    /// </param>
    /// <param name="justifiedReasons">
    /// The documented reasons the run gives cause for (null: all of them). A run that keeps Redis's
    /// data, a long window and small backlogs justifies none: a fresh session there is data the
    /// server lost, however politely it says so.
    /// </param>
    public static DeliveryVerdict Check(IEnumerable<ClientHistory> histories, Func<string, int, string?> reference,
        IReadOnlySet<string>? justifiedReasons = null)
    {
        var clients = histories.Select(h => new ClientCheck(h.Client, reference, justifiedReasons ?? DocumentedReasons).Run(h.Entries)).ToArray();
        return new DeliveryVerdict(
            clients.Length, clients.Sum(c => c.Prompts), clients.Sum(c => c.Events), clients.Sum(c => c.Answers),
            clients.Sum(c => c.Resumes), clients.Sum(c => c.FreshSessions),
            clients.Sum(c => c.Lost), clients.Sum(c => c.Duplicated), clients.Sum(c => c.Reordered),
            [.. clients.SelectMany(c => c.Violations)], clients.Sum(c => c.ChainChecked), clients.Sum(c => c.ChainBreaks));
    }

    /// <summary>One client's pass over its history.</summary>
    private sealed class ClientCheck(string client, Func<string, int, string?> reference, IReadOnlySet<string> justified)
    {
        private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);
        private readonly HashSet<string> _abandoned = new(StringComparer.Ordinal);
        private Segment _segment = new(1);
        private int _pendingFreshSessions;
        private readonly Queue<string> _pendingSessionIds = new();
        private bool _faultsStopped;
        private int _answersAfterFaults;
        private FinalState? _final;

        public List<string> Violations { get; } = [];
        public int Prompts => _runs.Count;
        public long Events { get; private set; }
        public int Answers { get; private set; }
        public int Resumes { get; private set; }
        public int FreshSessions { get; private set; }
        public long Lost { get; private set; }
        public long Duplicated { get; private set; }
        public long Reordered { get; private set; }
        public long ChainBreaks { get; private set; }
        public long ChainChecked { get; private set; }

        public ClientCheck Run(IReadOnlyList<HistoryEntry> entries)
        {
            HistoryEntry? previous = null;
            foreach (var entry in entries)
            {
                switch (entry)
                {
                    case PromptSent p when _runs.ContainsKey(p.Id):
                        Fail($"prompt {p.Id} was sent twice by the application (the soak never reuses an id)");
                        break;
                    case PromptSent p:
                        _runs[p.Id] = new Run(p.Text);
                        break;
                    case WelcomeSeen w:
                        OnWelcome(w);
                        break;
                    case PromptAbandoned a when previous is not WelcomeSeen { Resumed: false, Generation: > 1 }:
                        Fail($"prompt {a.Id} was abandoned without a fresh session (resumed:false) just before");
                        break;
                    case PromptAbandoned a:
                        _abandoned.Add(a.Id);
                        break;
                    case EventDelivered e:
                        OnEvent(e);
                        break;
                    case FaultsStopped:
                        _faultsStopped = true;
                        break;
                    case FinalState f:
                        _final = f;
                        break;
                }
                previous = entry;
            }
            Finish();
            return this;
        }

        private void OnWelcome(WelcomeSeen w)
        {
            if (w.Generation == 1)
            {
                _segment.SessionId ??= w.SessionId; // the first connection opens a new session: nothing to resume
                return;
            }
            if (w.Resumed)
            {
                Resumes++;
                return;
            }
            FreshSessions++;
            if (w.Reason is null || !DocumentedReasons.Contains(w.Reason))
            {
                Fail($"resume attempt {w.Generation} answered resumed:false with an undocumented reason '{w.Reason ?? "(none)"}'");
            }
            else if (!justified.Contains(w.Reason))
            {
                Fail($"resume attempt {w.Generation} answered resumed:false '{w.Reason}': documented, but nothing in this run justifies it " +
                    $"(justified here: {(justified.Count == 0 ? "none" : string.Join(", ", justified.Order(StringComparer.Ordinal)))})");
            }
            // Its events start again at seq 1; the old session's may still be read before them.
            _pendingFreshSessions++;
            _pendingSessionIds.Enqueue(w.SessionId);
        }

        private void OnEvent(EventDelivered e)
        {
            Events++;
            if (_pendingFreshSessions > 0 && e.Seq == 1 && _segment.Top > 0)
            {
                _pendingFreshSessions--;
                Close(_segment);
                _segment = new Segment(_segment.Number + 1) { SessionId = _pendingSessionIds.TryDequeue(out var id) ? id : null };
            }
            var segment = _segment;
            if (!segment.Seen.Add(e.Seq))
            {
                Duplicated++;
                Fail($"session #{segment.Number}: seq {e.Seq} reached the application twice");
                return;
            }
            if (e.Seq < segment.Top)
            {
                Reordered++;
                Fail($"session #{segment.Number}: seq {e.Seq} arrived after seq {segment.Top}");
            }
            if (e.Seq > segment.Top) CheckChain(e, segment);
            segment.Top = Math.Max(segment.Top, e.Seq);
            if (e.RunId is null) return;
            if (!_runs.TryGetValue(e.RunId, out var run))
            {
                Fail($"seq {e.Seq}: an event of run {e.RunId}, which this client never asked for");
                return;
            }
            OnRunEvent(e, run, segment);
        }

        private void OnRunEvent(EventDelivered e, Run run, Segment segment)
        {
            if (run.Ended)
            {
                Fail($"run {e.RunId}: {e.Kind} (index {e.Index}) after its stream.end: a second answer");
                return;
            }
            if (e.Index != run.NextIndex)
            {
                Fail($"run {e.RunId}: index {e.Index} where {run.NextIndex} was due ({e.Kind})");
            }
            run.NextIndex = e.Index + 1;
            if (e.Kind == EventKinds.StreamStart)
            {
                run.Segment = segment;
                run.Turn = segment.Answers;
            }
            else if (run.Segment != segment)
            {
                Fail($"run {e.RunId}: {e.Kind} in another session than its stream.start");
            }
            if (e.Kind == EventKinds.StreamChunk) run.Text.Append(e.Text);
            if (e.Kind != EventKinds.StreamEnd) return;
            run.Ended = true;
            segment.Answers++;
            Answers++;
            if (_faultsStopped) _answersAfterFaults++;
            var expected = reference(run.Prompt, run.Turn);
            var actual = run.Text.ToString();
            if (expected is null)
                Fail($"run {e.RunId}: no reference answer for turn {run.Turn} of '{run.Prompt}'");
            else if (!string.Equals(expected, actual, StringComparison.Ordinal))
                Fail($"run {e.RunId}: the answer differs from the reference (turn {run.Turn}): expected \"{Clip(expected)}\", got \"{Clip(actual)}\"");
        }

        private void Finish()
        {
            Close(_segment);
            foreach (var (id, run) in _runs.Where(r => !r.Value.Ended && !_abandoned.Contains(r.Key)))
            {
                Fail(run.NextIndex == 0
                    ? $"prompt {id} never got an answer"
                    : $"prompt {id} got an incomplete answer (events up to index {run.NextIndex - 1}, no stream.end)");
            }
            if (!_faultsStopped)
            {
                Fail("the history ends before the faults stopped: the run did not finish");
            }
            else if (_answersAfterFaults == 0)
            {
                Fail("stuck: no answer after the faults stopped");
            }
            if (_final is not { Status: "Open" or "Resumed", UnansweredPrompts: 0 })
            {
                Fail($"stuck: final state {_final?.Status ?? "(none)"} with {_final?.UnansweredPrompts ?? 0} prompts unanswered");
            }
        }

        /// <summary>A session's seqs below its top that never arrived are lost.</summary>
        private void Close(Segment segment)
        {
            var missing = segment.Top - segment.Seen.Count;
            if (missing <= 0) return;
            Lost += missing;
            var first = Enumerable.Range(1, (int)segment.Top).First(s => !segment.Seen.Contains(s));
            Fail($"session #{segment.Number}: {missing} seq(s) below {segment.Top} never reached the application (first: {first})");
        }

        /// <summary>
        /// Protocol v1.1: each event's chain must continue the session's own chain from its genesis,
        /// recomputed here from what reached the application, independently of the client library.
        /// </summary>
        private void CheckChain(EventDelivered e, Segment segment)
        {
            if (e.Chain is null || segment.SessionId is null) return; // a v1 server, or a history without its welcome
            var previous = segment.Chain ?? (e.Seq == 1 ? EventChain.Genesis(segment.SessionId) : null);
            if (previous is null || e.Seq != segment.Top + 1)
            {
                segment.Chain = e.Chain; // after a gap (counted as lost) the chain is picked up again
                return;
            }
            ChainChecked++;
            var expected = EventChain.Next(previous, e.Seq, e.Kind, e.RunId, e.Index, e.Text);
            if (e.Chain != expected)
            {
                ChainBreaks++;
                Fail($"session #{segment.Number}: seq {e.Seq}'s chain does not continue the session's chain");
            }
            // Go on from what the chain should be: one bad entry is one break, not one per event after it.
            segment.Chain = expected;
        }

        private void Fail(string violation) => Violations.Add($"{client}: {violation}");

        private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
    }

    /// <summary>One session of a client (a fresh session after <c>resumed:false</c> starts another).</summary>
    private sealed class Segment(int number)
    {
        public int Number { get; } = number;
        public string? SessionId { get; set; }

        /// <summary>The chain of the newest event seen in order (v1.1).</summary>
        public string? Chain { get; set; }
        public HashSet<long> Seen { get; } = [];
        public long Top { get; set; }
        public int Answers { get; set; }
    }

    private sealed class Run(string prompt)
    {
        public string Prompt { get; } = prompt;
        public StringBuilder Text { get; } = new();
        public int NextIndex { get; set; }
        public bool Ended { get; set; }
        public int Turn { get; set; }
        public Segment? Segment { get; set; }
    }
}
