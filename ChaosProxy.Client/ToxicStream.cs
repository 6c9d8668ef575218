using System.Text.Json.Serialization;

namespace AspireResilience.ChaosProxy.Client;

/// <summary>The direction a toxic acts on, in Toxiproxy's words.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ToxicStream>))]
public enum ToxicStream
{
    /// <summary>Server to client: the response path. The default.</summary>
    [JsonStringEnumMemberName("downstream")]
    Downstream,

    /// <summary>Client to server: the request path.</summary>
    [JsonStringEnumMemberName("upstream")]
    Upstream,
}
