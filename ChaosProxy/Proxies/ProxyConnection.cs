using System.Buffers;
using System.Net;
using System.Net.Sockets;
using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>
/// One accepted client and its upstream socket, pumped in both directions. Ends in one of three
/// ways: both directions reached EOF (clean), a side failed (reset propagated to the other side
/// with RST), or the proxy ended it (<see cref="Close"/> = FIN both ways, <see cref="Reset"/> = RST
/// both ways). The first ending wins.
/// </summary>
internal sealed partial class ProxyConnection : IToxicContext
{
    private const int NotEnded = 0;
    private const int ClosedByProxy = 1;
    private const int ResetByProxy = 2;

    private readonly Proxy _proxy;
    private readonly Socket _client;
    private readonly CancellationTokenSource _closed = new();
    private readonly ILogger _logger;
    private Socket? _upstream;
    private int _ending = NotEnded;

    public ProxyConnection(Proxy proxy, Socket client, long id)
    {
        _proxy = proxy;
        _client = client;
        _logger = proxy.Environment.LoggerFactory.CreateLogger<ProxyConnection>();
        Id = id;
    }

    public long Id { get; }

    public ToxicAttachments Attachments { get; } = new();

    public TimeProvider TimeProvider => _proxy.Environment.TimeProvider;

    public Func<double> Randomizer => _proxy.Environment.Randomizer;

    public CancellationToken Closed => _closed.Token;

    /// <summary>Connects upstream, pumps both directions and cleans up; never throws.</summary>
    public async Task RunAsync()
    {
        try
        {
            _upstream = await ConnectUpstreamAsync();
            if (_upstream is null)
            {
                return;
            }

            Attachments.Synchronize(_proxy.Toxics, this);
            var upstream = new StreamCopier(_proxy, this, _client, _upstream, ToxicStream.Upstream).RunAsync();
            var downstream = new StreamCopier(_proxy, this, _upstream, _client, ToxicStream.Downstream).RunAsync();
            var first = await Task.WhenAny(upstream, downstream);
            var (direction, result) = (first == upstream ? ToxicStream.Upstream : ToxicStream.Downstream, await first);
            if (result == StreamCopyResult.Success)
            {
                // Half-closed: the other direction may still carry data until its own EOF.
                (direction, result) = first == upstream
                    ? (ToxicStream.Downstream, await downstream)
                    : (ToxicStream.Upstream, await upstream);
            }

            if (result is StreamCopyResult.InputError or StreamCopyResult.OutputError)
            {
                EndWith(ResetByProxy, DescribeFailure(direction, result), propagated: true);
            }
        }
        catch (Exception exception)
        {
            LogConnectionFailed(_logger, exception, _proxy.Name, Id);
            EndWith(ResetByProxy, "unexpected error", propagated: true);
        }
        finally
        {
            await CleanUpAsync();
        }
    }

    /// <summary>Re-reads the toxic list: attaches new toxics now so their timers start.</summary>
    public void OnToxicsChanged(ToxicSet toxics) => Attachments.Synchronize(toxics, this);

    public void Close(string reason) => EndWith(ClosedByProxy, reason, propagated: false);

    public void Reset(string reason) => EndWith(ResetByProxy, reason, propagated: false);

    private void EndWith(int ending, string reason, bool propagated)
    {
        if (Interlocked.CompareExchange(ref _ending, ending, NotEnded) != NotEnded)
        {
            return;
        }

        var kind = ending == ResetByProxy ? "reset" : "close";
        if (propagated)
        {
            LogConnectionAborted(_logger, _proxy.Name, Id, reason);
        }
        else
        {
            _proxy.Environment.Telemetry.ConnectionCut(_proxy.Name, kind, reason);
            LogConnectionCut(_logger, _proxy.Name, Id, kind, reason);
        }

        _closed.Cancel();
        if (ending == ResetByProxy)
        {
            // RST now, not after the pumps wind down: the peers must see it immediately.
            Abort(_client);
            Abort(Volatile.Read(ref _upstream));
        }
    }

    /// <summary>Pure: which peer failed, from the direction that ended and how (upstream = client to server).</summary>
    internal static string DescribeFailure(ToxicStream direction, StreamCopyResult result) => (direction, result) switch
    {
        (ToxicStream.Upstream, StreamCopyResult.InputError) or (ToxicStream.Downstream, StreamCopyResult.OutputError) => "client reset or failed",
        _ => "upstream reset or failed",
    };

    private async Task<Socket?> ConnectUpstreamAsync()
    {
        var target = _proxy.UpstreamAddress;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
        timeout.CancelAfter(_proxy.Environment.UpstreamConnectTimeout);
        Exception? lastError = null;
        try
        {
            var addresses = IPAddress.TryParse(target.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(target.Host, timeout.Token);
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, target.Port), timeout.Token);
                    return socket;
                }
                catch (Exception exception) when (exception is SocketException or OperationCanceledException)
                {
                    socket.Dispose();
                    lastError = exception;
                    if (timeout.IsCancellationRequested)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            lastError = exception;
        }

        if (!_closed.IsCancellationRequested)
        {
            // The nearest thing to "connection refused" a proxy that already accepted can give.
            LogUpstreamUnreachable(_logger, _proxy.Name, target.ToString(), lastError?.Message ?? "no address");
            EndWith(ResetByProxy, "upstream unreachable", propagated: true);
        }

        return null;
    }

    private async Task CleanUpAsync()
    {
        var upstream = _upstream;
        if (Volatile.Read(ref _ending) == ClosedByProxy)
        {
            // FIN both ways, then read and discard until the peers close too: closing a socket
            // that still has unread bytes would send RST instead of FIN.
            Shutdown(_client);
            Shutdown(upstream);
            using var drain = new CancellationTokenSource(_proxy.Environment.DrainTimeout, TimeProvider);
            await Task.WhenAll(DrainAsync(_client, drain.Token), DrainAsync(upstream, drain.Token));
        }
        else if (Volatile.Read(ref _ending) == ResetByProxy)
        {
            Abort(_client);
            Abort(upstream);
        }

        _client.Dispose();
        upstream?.Dispose();

        // Not disposed: toxic timers may still link to it after the connection is gone.
        _closed.Cancel();
    }

    private static void Shutdown(Socket? socket)
    {
        try
        {
            socket?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing to half-close.
        }
    }

    private static void Abort(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        socket.Dispose();
    }

    private static async Task DrainAsync(Socket? socket, CancellationToken cancellationToken)
    {
        if (socket is null)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken) > 0)
            {
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Drained as far as it goes.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
