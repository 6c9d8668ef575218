using System.Diagnostics;

namespace AspireResilience.Client;

/// <summary>The client's spans, <c>client.connect</c> and <c>client.reconnect</c>, and their attribute names.</summary>
public static class ClientTelemetry
{
    /// <summary>The ActivitySource name, <c>AspireResilience.Client</c>.</summary>
    public const string Name = "AspireResilience.Client";

    /// <summary><c>session.id</c> (semantic convention): the session the welcome named.</summary>
    public const string SessionId = "session.id";

    /// <summary><c>session.resumed</c>: whether the welcome resumed the session (false: a fresh one).</summary>
    public const string SessionResumed = "session.resumed";

    /// <summary><c>session.replay.count</c>: events the server announced it would re-send.</summary>
    public const string SessionReplayCount = "session.replay.count";

    /// <summary><c>session.resume.reason</c>: why a resume failed (<c>welcome.reason</c>).</summary>
    public const string SessionResumeReason = "session.resume.reason";

    /// <summary><c>reconnect.attempts</c>: handshakes it took to get back.</summary>
    public const string ReconnectAttempts = "reconnect.attempts";

    /// <summary><c>reconnect.reason</c>: the close reason that started the reconnect.</summary>
    public const string ReconnectReason = "reconnect.reason";

    /// <summary><c>reconnect.downtime_ms</c>: from the drop to the welcome, in milliseconds.</summary>
    public const string ReconnectDowntimeMs = "reconnect.downtime_ms";

    /// <summary>
    /// <c>reconnect.silence_ms</c>: when the heartbeat found the link dead (reason <c>heartbeat</c>),
    /// how long nothing had come from the server — the client's detection time.
    /// </summary>
    public const string ReconnectSilenceMs = "reconnect.silence_ms";

    /// <summary><c>ws.close.code</c> on the <c>attempt.rejected</c> event: the code the server closed the attempt with.</summary>
    public const string CloseCode = "ws.close.code";

    /// <summary><c>ws.close.reason</c> on the <c>attempt.rejected</c> event (for 4029: the retry-after in milliseconds).</summary>
    public const string CloseReason = "ws.close.reason";

    /// <summary><c>error.type</c> (semantic convention) on the <c>attempt.failed</c> event: the exception type.</summary>
    public const string ErrorType = "error.type";

    /// <summary>Event on <c>client.reconnect</c> at the start of each attempt, after its backoff: when the client really knocked.</summary>
    public const string AttemptEvent = "reconnect.attempt";

    /// <summary><c>reconnect.backoff_ms</c> on the <see cref="AttemptEvent"/>: the delay the client drew (jitter and retry-after) before it knocked.</summary>
    public const string AttemptBackoffMs = "reconnect.backoff_ms";

    /// <summary>Event on <c>client.reconnect</c> when an attempt failed (with <see cref="ErrorType"/>).</summary>
    public const string AttemptFailedEvent = "attempt.failed";

    /// <summary>Span of one in-band refresh, from sending <c>refresh</c> to receiving <c>refreshed</c> (the token grant before it is not included).</summary>
    public const string TokenRefreshSpan = "client.token.refresh";

    /// <summary><c>token.refresh.trigger</c> on <see cref="TokenRefreshSpan"/>: see <see cref="Client.TokenRefreshTrigger"/>.</summary>
    public const string TokenRefreshTrigger = "token.refresh.trigger";

    /// <summary>The <see cref="ReconnectReason"/> of a reconnect the application asked for with <see cref="ResilientSession.SwitchNetwork"/>.</summary>
    public const string NetworkSwitchReason = "network switch";

    /// <summary>Event on <c>client.reconnect</c> when the server answered an attempt with a close that allows another try (e.g. 4029, 1013).</summary>
    public const string AttemptRejectedEvent = "attempt.rejected";

    /// <summary>The <see cref="ReconnectReason"/> when an event or snapshot broke the continuity chain (v1.1).</summary>
    public const string ChainMismatchReason = "chain mismatch";

    /// <summary>Event on <c>client.reconnect</c> when the link was dropped for a chain mismatch, with the seq and both chain values.</summary>
    public const string ChainMismatchEvent = "chain.mismatch";

    /// <summary><c>session.chain.mismatch_seq</c> on <c>client.reconnect</c> and its <see cref="ChainMismatchEvent"/>: the refused event's seq (0: a snapshot).</summary>
    public const string ChainMismatchSeq = "session.chain.mismatch_seq";

    /// <summary><c>session.chain.expected</c> on <see cref="ChainMismatchEvent"/>: the chain the client computed.</summary>
    public const string ChainExpected = "session.chain.expected";

    /// <summary><c>session.chain.received</c> on <see cref="ChainMismatchEvent"/>: the chain the server sent (empty: none).</summary>
    public const string ChainReceived = "session.chain.received";

    internal static readonly ActivitySource Source = new(Name);
}
