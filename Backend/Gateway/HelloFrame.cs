using AspireResilience.Protocol;

namespace AspireResilience.Backend.Gateway;

/// <summary>The first frame of a connection read as a <c>hello</c>, or the close code it calls for.</summary>
public readonly record struct HelloFrame(HelloMessage? Hello, int CloseCode, string CloseReason)
{
    /// <summary>A peer that hangs up says so (its code); a frame of the wrong shape keeps its code (1003, 1007, 1009); anything but a valid hello is 4400.</summary>
    public static HelloFrame From(Frame frame)
    {
        if (frame.PeerClosed) return new(null, CloseCodes.Normal, "");
        if (frame.CloseCode is { } code) return new(null, code, "invalid frame");
        return ClientFrameParser.Parse(frame.Text.Span).Message is HelloMessage hello
            ? new(hello, 0, "")
            : new(null, CloseCodes.MalformedHello, "the first frame must be a valid hello");
    }
}
