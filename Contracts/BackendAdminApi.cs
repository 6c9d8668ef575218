namespace AspireResilience.Contracts;

/// <summary>The Backend's admin API (mapped only with <c>Gateway:EnableAdminApi</c>, answered only to loopback callers) and the dashboard command that calls it.</summary>
public static class BackendAdminApi
{
    /// <summary><c>POST</c>: drops every socket of this process without a close frame, as a failed network would; answers <c>{"dropped": n}</c>.</summary>
    public const string DropConnectionsPath = "/admin/drop-connections";

    /// <summary>
    /// <c>GET</c>: the process' memory after a full, compacting, blocking collection, for the
    /// benchmarks' per-session cost; answers <see cref="BackendMemory"/>.
    /// </summary>
    public const string MemoryPath = "/admin/memory";

    /// <summary>The Backend's dashboard command (one per replica) that calls <see cref="DropConnectionsPath"/>.</summary>
    public const string DropConnectionsCommand = "drop-connections";
}
