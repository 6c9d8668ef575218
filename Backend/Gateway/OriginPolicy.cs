namespace AspireResilience.Backend.Gateway;

/// <summary>
/// Which browser origins may open a socket. A request without <c>Origin</c> comes from a
/// non-browser client and is allowed (tokens, not origins, authenticate). A browser's origin is
/// allowed when it is listed in <see cref="GatewayOptions.AllowedOrigins"/>, or — with
/// <see cref="GatewayOptions.AllowSameOrigin"/> — when it is the origin the request was sent to
/// (scheme, host and port of the request's <c>Host</c>): the page this Backend served itself,
/// whichever address it was loaded from (its own port, DCP's proxy, ChaosProxy). Ports count:
/// <c>http://localhost:1</c> is not the origin of <c>localhost:5180</c>.
/// The rule trusts <c>Host</c>, which the browser sets from the address it connects to: a page of
/// another site cannot make it match. A DNS-rebinding page (its name pointed at this machine)
/// would match, but it still needs an access token for <c>hello</c>, which takes the user's
/// password; a deployment that wants more lists its origins, turns this off, and pins
/// <c>AllowedHosts</c>.
/// </summary>
public static class OriginPolicy
{
    public static bool IsAllowed(string origin, string requestScheme, string requestHost, IReadOnlyCollection<string> allowedOrigins, bool allowSameOrigin)
    {
        if (origin.Length == 0) return true;
        if (allowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase)) return true;
        return allowSameOrigin && IsSameOrigin(origin, requestScheme, requestHost);
    }

    private static bool IsSameOrigin(string origin, string requestScheme, string requestHost)
    {
        // "null" (sandboxed frames, file://) and anything with a path, user info or query is no origin of ours.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var page) || page.PathAndQuery != "/" || page.UserInfo.Length > 0
            || origin.EndsWith('/'))
        {
            return false;
        }
        if (requestHost.Length == 0 || !Uri.TryCreate($"{requestScheme}://{requestHost}", UriKind.Absolute, out var target))
        {
            return false;
        }
        return string.Equals(page.Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(page.IdnHost, target.IdnHost, StringComparison.OrdinalIgnoreCase)
            && page.Port == target.Port;
    }
}
