using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>An upstream address, <c>host:port</c>; the host may be a name, resolved per connection.</summary>
internal sealed record HostPort(string Host, int Port)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out HostPort? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        var separator = text?.LastIndexOf(':') ?? -1;
        if (string.IsNullOrWhiteSpace(text) || separator <= 0)
        {
            error = $"'{text}' is not host:port";
            return false;
        }

        var host = text[..separator].Trim('[', ']');
        if (!int.TryParse(text.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}' has no valid port (1-65535)";
            return false;
        }

        if (host.Length == 0 || (host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _)))
        {
            error = $"'{text}' has no valid host";
            return false;
        }

        value = new HostPort(host, port);
        error = null;
        return true;
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
