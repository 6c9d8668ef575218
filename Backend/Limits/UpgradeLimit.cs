using System.Net.WebSockets;

namespace AspireResilience.Backend.Limits;

/// <summary>
/// Accepting a socket when Kestrel's <see cref="ConnectionLimitOptions.MaxUpgradedConnections"/>
/// is reached: Kestrel refuses the upgrade by throwing before anything is written, which would
/// be a 500 and an error log. The cap is a designed answer, so it is a 503 with a retry hint.
/// </summary>
public static class UpgradeLimit
{
    /// <summary>The accepted socket, or null when the cap refused it (the 503 is then written).</summary>
    public static async Task<WebSocket?> AcceptOrRefuseAsync(HttpContext context, WebSocketAcceptContext accept)
    {
        try
        {
            return await context.WebSockets.AcceptWebSocketAsync(accept);
        }
        catch (InvalidOperationException) when (!context.Response.HasStarted)
        {
            // Nothing was sent: the upgrade did not happen, and the only refusal before the 101 is the cap.
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return null;
        }
    }
}
