using System.Net.Sockets;

namespace AspireResilience.Client;

/// <summary>
/// Which of the backend's addresses to try next. A refused connection means nobody listens
/// there (a killed process's port), so the next address is tried at once; only when every
/// address refused in a row does the caller back off. Not thread-safe: one reconnect loop owns it.
/// </summary>
public sealed class EndpointRotation
{
    private readonly List<Uri> _endpoints;
    private int _index;
    private int _refusedInARow;

    /// <summary>Creates a rotation that starts at <paramref name="primary"/>.</summary>
    public EndpointRotation(Uri primary, IReadOnlyList<Uri> alternates) => _endpoints = [primary, .. alternates];

    /// <summary>The address to connect to now.</summary>
    public Uri Current => _endpoints[_index];

    /// <summary>Makes <paramref name="endpoint"/> the current address (added to the rotation if it was not in it).</summary>
    public void MoveTo(Uri endpoint)
    {
        var index = _endpoints.IndexOf(endpoint);
        if (index < 0)
        {
            _endpoints.Add(endpoint);
            index = _endpoints.Count - 1;
        }
        _index = index;
        _refusedInARow = 0;
    }

    /// <summary>The current address accepted: stay on it, and start counting refusals anew.</summary>
    public void Accepted() => _refusedInARow = 0;

    /// <summary>
    /// The current address refused: move to the next. Returns true when that one has not refused
    /// since the last acceptance, so it is worth trying without a delay.
    /// </summary>
    public bool Refused()
    {
        _refusedInARow++;
        _index = (_index + 1) % _endpoints.Count;
        return _refusedInARow < _endpoints.Count;
    }

    /// <summary>True when <paramref name="exception"/> (or an exception inside it) is a refused TCP connection.</summary>
    public static bool IsRefusal(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
        }
        return false;
    }
}
