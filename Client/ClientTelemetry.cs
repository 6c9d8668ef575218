using System.Diagnostics;

namespace AspireResilience.Client;

/// <summary>The client's spans: <c>client.connect</c> and <c>client.reconnect</c>.</summary>
public static class ClientTelemetry
{
    /// <summary>The ActivitySource name, <c>AspireResilience.Client</c>.</summary>
    public const string Name = "AspireResilience.Client";

    internal static readonly ActivitySource Source = new(Name);
}
