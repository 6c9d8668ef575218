using System.Text.Json;
using System.Text.Unicode;

namespace AspireResilience.Protocol;

/// <summary>The outcome of parsing one client frame: a message, or an <c>error</c> code and a safe description.</summary>
public readonly record struct ClientFrameParse(ClientMessage? Message, string? ErrorCode, string? Error)
{
    public bool IsValid => Message is not null;
}

/// <summary>Turns a text frame into a <see cref="ClientMessage"/> or names what is wrong with it.</summary>
public static class ClientFrameParser
{
    private static readonly HashSet<string> KnownTypes = ["hello", "prompt", "ack", "refresh", "ping"];
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = ProtocolJson.MaxDepth };

    public static ClientFrameParse Parse(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return Fail(ErrorCodes.InvalidJson, "The frame is not valid UTF-8.");
        }
        try
        {
            return new ClientFrameParse(ProtocolJson.DeserializeClient(utf8), null, null);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return Classify(utf8.ToArray());
        }
    }

    // Only on the failure path: a second, generic parse tells the client which rule it broke,
    // without echoing the serializer's internals.
    private static ClientFrameParse Classify(byte[] utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException)
        {
            return Fail(ErrorCodes.InvalidJson, "The frame is not valid JSON (or nests too deeply).");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type)
                || type.ValueKind != JsonValueKind.String)
            {
                return Fail(ErrorCodes.InvalidMessage, "A frame must be a JSON object with a string 'type'.");
            }
            string name;
            try
            {
                name = type.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return Fail(ErrorCodes.InvalidJson, "The 'type' is not a valid string (e.g. an unpaired surrogate escape).");
            }
            return KnownTypes.Contains(name)
                ? Fail(ErrorCodes.InvalidMessage, $"The '{name}' frame has missing, unknown or wrongly typed fields.")
                : Fail(ErrorCodes.UnknownType, "Unknown frame type.");
        }
    }

    private static ClientFrameParse Fail(string code, string message) => new(null, code, message);
}
