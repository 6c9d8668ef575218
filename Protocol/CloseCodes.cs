namespace AspireResilience.Protocol;

/// <summary>Every close the server makes states one of these codes (docs/protocol.md lists them).</summary>
public static class CloseCodes
{
    public const int Normal = 1000;
    /// <summary>Server shutdown: reconnect now.</summary>
    public const int GoingAway = 1001;
    public const int ProtocolError = 1002;
    public const int BinaryFrame = 1003;
    public const int InvalidUtf8 = 1007;
    public const int Policy = 1008;
    public const int TooBig = 1009;
    public const int ServerError = 1011;
    /// <summary>Redis unavailable or overload: reconnect later.</summary>
    public const int TryAgainLater = 1013;
    public const int Superseded = 4000;
    public const int TokenExpired = 4001;
    public const int Forbidden = 4003;
    public const int HelloTimeout = 4008;
    /// <summary>The user already has the most live sockets allowed per user (<c>Gateway:MaxConnectionsPerUser</c>): close one first.</summary>
    public const int TooManyConnections = 4009;
    public const int TooManyReconnects = 4029;
    public const int MalformedHello = 4400;

    /// <summary>
    /// Whether a client should reconnect after this close. Codes that describe the client's own
    /// fault or a decision against it (forbidden, malformed, superseded) are final.
    /// </summary>
    public static bool AllowsReconnect(int code) => code switch
    {
        GoingAway or ServerError or TryAgainLater or TokenExpired or TooManyReconnects => true,
        Normal or ProtocolError or BinaryFrame or InvalidUtf8 or Policy or TooBig
            or Superseded or Forbidden or HelloTimeout or TooManyConnections or MalformedHello => false,
        _ => true, // 1006 (abnormal) and anything unknown: the link failed, try again.
    };
}
