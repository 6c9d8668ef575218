using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>
/// A TCP server on 127.0.0.1:0 inside the test. In echo mode it writes back what it reads and
/// half-closes on EOF; in manual mode the test takes each accepted socket and drives it.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>();
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _echo;
    private readonly Task _acceptLoop;

    private LoopbackServer(bool echo)
    {
        _echo = echo;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public string Address => $"127.0.0.1:{Port}";

    public static LoopbackServer StartEcho() => new(echo: true);

    public static LoopbackServer StartManual() => new(echo: false);

    /// <summary>The next socket accepted (manual mode).</summary>
    public async Task<Socket> AcceptedAsync() => await _accepted.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Default);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            socket.NoDelay = true;
            lock (_sockets)
            {
                _sockets.Add(socket);
            }

            if (_echo)
            {
                _ = EchoAsync(socket);
            }
            else
            {
                _accepted.Writer.TryWrite(socket);
            }
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stop.Token)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The test or the proxy cut the connection: nothing to echo any more.
        }
    }
}
