using System.Net.WebSockets;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Wire;

/// <summary>Sessions set up by hand with a <see cref="RawClient"/>, for tests that then resume them frame by frame.</summary>
public static class RawSessions
{
    /// <summary>
    /// A new session of the environment's next user, through <paramref name="endpoint"/> (by
    /// default ChaosProxy); with <paramref name="prompt"/>, answered to its <c>stream.end</c>
    /// (22 events) before the socket is closed. Returns the user's token and the welcome.
    /// </summary>
    public static async Task<(string Token, WelcomeMessage Welcome)> CreateAsync(TestEnvironment env, string? prompt = null, Uri? endpoint = null)
    {
        var token = await RawClient.TokenAsync(env);
        await using var client = await RawClient.ConnectAsync(endpoint ?? env.BackendWebSocket);
        var welcome = await client.HelloAsync(token);
        if (prompt is not null)
        {
            await client.SendAsync(ProtocolJson.Serialize(new PromptMessage("p1", prompt)), WebSocketMessageType.Text);
            while ((await client.ReceiveAsync()).Message is not EventMessage { Kind: EventKinds.StreamEnd })
            {
            }
        }
        return (token, welcome);
    }
}
