using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.TestSupport.Wire;

/// <summary>Hellos a <see cref="RawClient"/> sends by hand, answered by a welcome or a close.</summary>
public static class RawHello
{
    /// <summary>Sends <paramref name="hello"/> and returns the server's answer: a <c>welcome</c> or the close.</summary>
    public static async Task<Received> SendHelloAsync(this RawClient client, HelloMessage hello)
    {
        await client.SendAsync(ProtocolJson.Serialize(hello), WebSocketMessageType.Text);
        return await client.ReceiveAsync();
    }

    /// <summary>Opens a socket to <paramref name="endpoint"/> and resumes <paramref name="sessionId"/> from <paramref name="lastSeq"/> (with <paramref name="lastChain"/>: as a v1.1 client).</summary>
    public static async Task<(RawClient Client, Received Answer)> ResumeAsync(Uri endpoint, string token, string sessionId, long lastSeq, string? epoch,
        string? lastChain = null)
    {
        var client = await RawClient.ConnectAsync(endpoint);
        try
        {
            return (client, await client.SendHelloAsync(new HelloMessage(token, sessionId, lastSeq, epoch, LastChain: lastChain)));
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
