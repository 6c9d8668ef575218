namespace AspireResilience.TestSupport.Soak;

/// <summary>The faults the soak injects (see <see cref="SoakFaults"/> for what each does).</summary>
public enum FaultKind
{
    /// <summary>SIGKILL of one Backend replica's process tree, then Aspire's start command.</summary>
    BackendKill,

    /// <summary>Graceful restart of one Backend replica (Aspire's restart command: SIGTERM, 1001 to its clients).</summary>
    BackendRestart,

    /// <summary>Redis stopped and started with its append-only file (the dashboard's "Restart (keep data)").</summary>
    RedisRestart,

    /// <summary>The AuthService restarted: token grants and refreshes fail meanwhile.</summary>
    AuthRestart,

    /// <summary>ChaosProxy resets every client connection (TCP RST, no close frame).</summary>
    ProxyCut,

    /// <summary>ChaosProxy stops all data both ways on the client hop for a while (a half-open link).</summary>
    ProxyBlackhole,

    /// <summary>ChaosProxy delays the server's frames for a while.</summary>
    ProxyLatency,

    /// <summary>ChaosProxy takes the client hop down and up again every few hundred milliseconds.</summary>
    ProxyFlap,

    /// <summary>The client hop is down for longer than an access token lives: clients come back with expired tokens and refresh.</summary>
    TokenExpiry,

    /// <summary>Some clients move to another source address (127.0.0.x) while their old socket is dropped.</summary>
    NetworkSwitch,
}
