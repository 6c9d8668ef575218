namespace AspireResilience.Protocol;

/// <summary>The <c>code</c> values of an <c>error</c> frame.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidMessage = "invalid_message";
    public const string UnknownType = "unknown_type";
    public const string UnexpectedHello = "unexpected_hello";
    public const string InvalidAck = "invalid_ack";
    public const string InvalidToken = "invalid_token";
    public const string Unavailable = "unavailable";

    /// <summary>A prompt while the session already streams its maximum of runs (retryable: send it again once one ends).</summary>
    public const string TooManyRuns = "too_many_runs";
}
