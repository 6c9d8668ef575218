namespace AspireResilience.Protocol;

/// <summary>The <c>kind</c> values of an <c>event</c> frame.</summary>
public static class EventKinds
{
    public const string StreamStart = "stream.start";
    public const string StreamChunk = "stream.chunk";
    public const string StreamEnd = "stream.end";
    public const string Message = "message";
}
