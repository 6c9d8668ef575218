using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AspireResilience.Benchmarks.ChaosProxy;

/// <summary>
/// In-process servers on 127.0.0.1:0: an echo (round trips) and a sink that counts bytes until
/// EOF and answers with the count (bulk transfers: the answer marks the last byte's arrival).
/// </summary>
internal sealed class LoopbackServers : IDisposable
{
    private readonly Socket _echo = Listen();
    private readonly Socket _sink = Listen();
    private readonly CancellationTokenSource _stop = new();

    public LoopbackServers()
    {
        _ = AcceptLoopAsync(_echo, EchoAsync);
        _ = AcceptLoopAsync(_sink, SinkAsync);
    }

    public IPEndPoint Echo => (IPEndPoint)_echo.LocalEndPoint!;

    public IPEndPoint Sink => (IPEndPoint)_sink.LocalEndPoint!;

    public void Dispose()
    {
        _stop.Cancel();
        _echo.Dispose();
        _sink.Dispose();
    }

    private static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(64);
        return socket;
    }

    private async Task AcceptLoopAsync(Socket listener, Func<Socket, Task> handle)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await listener.AcceptAsync(_stop.Token);
                socket.NoDelay = true;
                _ = handle(socket);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stop.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                // Benchmark over.
            }
        }
    }

    private async Task SinkAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[256 * 1024];
            long total = 0;
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stop.Token)) > 0)
            {
                total += read;
            }

            BinaryPrimitives.WriteInt64LittleEndian(buffer, total);
            await socket.SendAsync(buffer.AsMemory(0, 8), SocketFlags.None, _stop.Token);
            socket.Shutdown(SocketShutdown.Send);
        }
    }
}
