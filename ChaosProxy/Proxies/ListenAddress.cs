using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>
/// Parses a listen address: <c>ip:port</c> (port 0 = pick a free one); <c>localhost</c> means
/// 127.0.0.1, and a bare port means 127.0.0.1:port (what an Aspire endpoint's <c>env:</c> hands over).
/// Only loopback addresses: a proxy listening on <c>0.0.0.0</c> would be an open relay to its
/// upstream for anyone on the network.
/// </summary>
internal static class ListenAddress
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "listen is required, e.g. 127.0.0.1:0";
            return false;
        }

        var normalized = text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" + text[9..]
            : text.All(char.IsAsciiDigit) ? "127.0.0.1:" + text
            : text;
        if (!IPEndPoint.TryParse(normalized, out endPoint) || !normalized.Contains(':', StringComparison.Ordinal))
        {
            endPoint = null;
            error = $"listen '{text}' is not ip:port (a port of 0 picks a free one)";
            return false;
        }

        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            endPoint = null;
            error = $"listen '{text}' is not a loopback address (127.0.0.0/8 or ::1)";
            return false;
        }

        error = null;
        return true;
    }
}
