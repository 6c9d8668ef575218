namespace AspireResilience.TestSupport.Soak;

/// <summary>One soak client's history: what it recorded, in order. Safe to add to from several threads.</summary>
/// <param name="client">The client's name (its user), for the checker's messages.</param>
public sealed class ClientHistory(string client)
{
    private readonly List<HistoryEntry> _entries = [];

    public string Client { get; } = client;

    /// <summary>A copy of the entries so far, oldest first.</summary>
    public IReadOnlyList<HistoryEntry> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public void Add(HistoryEntry entry)
    {
        lock (_entries) _entries.Add(entry);
    }

    /// <summary>A history from a list, for synthetic histories in unit tests.</summary>
    public static ClientHistory Of(string client, params HistoryEntry[] entries)
    {
        var history = new ClientHistory(client);
        foreach (var entry in entries) history.Add(entry);
        return history;
    }
}
