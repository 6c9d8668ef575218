using AspireResilience.Backend.Sessions;

namespace AspireResilience.Backend.Agents;

/// <summary>Identifies this process as a lease owner. A restarted process is a new owner.</summary>
public sealed class BackendInstance
{
    public string Id { get; } = SessionStore.NewId();
}
