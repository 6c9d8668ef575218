using System.Net;

namespace AspireResilience.Client;

/// <summary>
/// Where a connection goes and where it comes from: the backend's <paramref name="Endpoint"/>,
/// reached from <paramref name="LocalAddress"/> (null: whichever address the OS picks). A phone
/// moving from Wi-Fi to cellular keeps its endpoint and changes its local address; the address
/// family follows the local address (127.0.0.2 reaches <c>localhost</c> over IPv4, ::1 over IPv6).
/// </summary>
public sealed record NetworkPath(Uri Endpoint, IPAddress? LocalAddress = null);
