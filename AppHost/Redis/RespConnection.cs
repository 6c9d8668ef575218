using System.Net.Sockets;
using System.Text;

namespace AspireResilience.AppHost.Redis;

/// <summary>
/// The few bytes of RESP the AppHost's Redis probes need: authenticate, send commands, read the
/// raw answer. The probes run before any client library could connect (a node still loading,
/// a cluster not formed yet), so they speak the protocol themselves.
/// </summary>
internal static class RespConnection
{
    /// <summary>Connects, sends AUTH and <paramref name="commands"/>, and reads until <paramref name="complete"/> says the text is all there.</summary>
    public static async Task<string> AskAsync(string host, int port, string password, IReadOnlyList<string[]> commands,
        Func<string, bool> complete, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken);
        var stream = client.GetStream();
        var request = Command("AUTH", password) + string.Concat(commands.Select(Command));
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken);
        var text = new StringBuilder();
        var buffer = new byte[1024];
        while (!complete(text.ToString()))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    /// <summary>The first <paramref name="count"/> lines of <paramref name="text"/>, once it has that many.</summary>
    public static bool HasLines(string text, int count) => text.Split("\r\n").Length > count;

    /// <summary>A RESP array of bulk strings: safe for any password.</summary>
    private static string Command(params string[] parts) =>
        $"*{parts.Length}\r\n" + string.Concat(parts.Select(p => $"${Encoding.UTF8.GetByteCount(p)}\r\n{p}\r\n"));
}
