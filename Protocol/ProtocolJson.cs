using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireResilience.Protocol;

/// <summary>The one JSON setup both ends use, so the wire format is defined in one place.</summary>
public static class ProtocolJson
{
    /// <summary>Nesting deeper than this is rejected before any object is built.</summary>
    public const int MaxDepth = 8;

    public static JsonSerializerOptions Options { get; } = ProtocolJsonContext.Default.Options;

    public static byte[] Serialize(ServerMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJsonContext.Default.ServerMessage);

    public static byte[] Serialize(ClientMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJsonContext.Default.ClientMessage);

    /// <summary>Parses a client frame. Throws <see cref="JsonException"/> for anything that is not a valid message.</summary>
    public static ClientMessage DeserializeClient(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ProtocolJsonContext.Default.ClientMessage)
        ?? throw new JsonException("A frame must be a JSON object.");

    /// <summary>Parses a server frame. Throws <see cref="JsonException"/> for anything that is not a valid message.</summary>
    public static ServerMessage DeserializeServer(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ProtocolJsonContext.Default.ServerMessage)
        ?? throw new JsonException("A frame must be a JSON object.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = ProtocolJson.MaxDepth)]
[JsonSerializable(typeof(ClientMessage))]
[JsonSerializable(typeof(ServerMessage))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
