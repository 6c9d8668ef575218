namespace AspireResilience.Backend.Gateway;

/// <summary>Limits and timings of the WebSocket gateway. Section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>Time allowed for the first frame (<c>hello</c>). Defaults to 5 s.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest the server takes to answer a <c>hello</c>. A Redis reconnect shorter than this
    /// (a restart, a reset link) is waited out; when Redis stays unreachable, or the hello's
    /// dependencies (the session store for the revocation check and the attach, the token keys)
    /// do not answer within it, the connection is closed with 1013 (try again later) — well inside
    /// a client's handshake timeout (the reference client's is 10 s). Defaults to 2 s.
    /// </summary>
    public TimeSpan HelloAnswerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>WebSocket ping interval; also sent to clients as <c>heartbeatMs</c>. Defaults to 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a ping may go unanswered before the connection is aborted. Defaults to 10 s.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest client frame in bytes; larger closes with 1009. Defaults to 16 KiB.</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024;

    /// <summary>Longest prompt text in characters. Defaults to 4,000.</summary>
    public int MaxPromptChars { get; set; } = 4_000;

    /// <summary>Sustained client frames per second; a flood above it closes with 1008. Defaults to 50.</summary>
    public int FramesPerSecond { get; set; } = 50;

    /// <summary>Frames a client may send in a burst. Defaults to 100.</summary>
    public int FrameBurst { get; set; } = 100;

    /// <summary>Bad frames tolerated (each answered with <c>error</c>) before closing with 1008. Defaults to 5.</summary>
    public int MaxBadFrames { get; set; } = 5;

    /// <summary>
    /// Hellos one session may make per <see cref="ReconnectWindow"/> (counted in Redis, so across
    /// replicas); past it the hello is closed 4029 with the rest of the window as retry-after.
    /// A normal client's reconnects never come close. Defaults to 20; 0 turns the limit off.
    /// </summary>
    public int ReconnectsPerSession { get; set; } = 20;

    /// <summary>Hellos one user (token <c>sub</c>) may make per <see cref="ReconnectWindow"/>, over all their sessions and new ones; past it, 4029. Defaults to 120; 0 turns the limit off.</summary>
    public int ReconnectsPerUser { get; set; } = 120;

    /// <summary>
    /// Sessions one user may hold within the resume window (counted in Redis, across replicas). A
    /// new session beyond it evicts the user's least recently used session without a socket: its
    /// data is deleted and a later resume of it is answered <c>resumed:false</c>, reason
    /// <c>evicted</c>. Defaults to 20; 0 turns the cap off.
    /// </summary>
    public int MaxSessionsPerUser { get; set; } = 20;

    /// <summary>
    /// Sockets one user may have attached at once, over all replicas. A hello beyond it (other
    /// than a resume of a session that is live already, which replaces its socket) is closed 4009.
    /// Defaults to 10; 0 turns the cap off.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; } = 10;

    /// <summary>The fixed window the reconnect limits count in, starting at its first hello. Defaults to 10 s.</summary>
    public TimeSpan ReconnectWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long before expiry <c>token.expiring</c> is sent. Defaults to 30 s.</summary>
    public TimeSpan TokenExpiryLead { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Safety net for lost pub/sub notifications: the outbox is re-read at least this often. Defaults to 1 s.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Maps the admin API (<c>/admin/drop-connections</c>) for the test bench's dashboard commands. Defaults to false: production answers 404.</summary>
    public bool EnableAdminApi { get; set; }

    /// <summary>Origins allowed to open a socket (browsers send one; other clients do not). Empty allows none but non-browser clients.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Also allow a browser whose <c>Origin</c> is the address the request was sent to (scheme,
    /// host and port of <c>Host</c>): the chat page this Backend serves, from whichever address it
    /// was loaded. Other sites, and other ports of the same host, stay refused. Defaults to true.
    /// </summary>
    public bool AllowSameOrigin { get; set; } = true;
}
