using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>How a read ended: the bytes read, and whether the end was a FIN (EOF) or an RST.</summary>
internal sealed record ReadToEndResult(byte[] Data, bool WasReset, TimeSpan Elapsed);

/// <summary>Socket helpers that wait for events (bytes, EOF, RST), never for fixed times.</summary>
internal static class SocketReads
{
    public static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TestTimeouts.Default);
        return socket;
    }

    public static byte[] RandomPayload(int length, int seed)
    {
        var payload = new byte[length];
        new Random(seed).NextBytes(payload);
        return payload;
    }

    public static async Task SendAllAsync(this Socket socket, byte[] data) =>
        await socket.SendAsync(data.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestTimeouts.Default);

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails on EOF or timeout.</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Socket socket, int count)
    {
        var data = new byte[count];
        var offset = 0;
        while (offset < count)
        {
            var read = await socket.ReceiveAsync(data.AsMemory(offset), SocketFlags.None).AsTask().WaitAsync(TestTimeouts.Default);
            if (read == 0)
            {
                throw new AssertFailedException($"EOF after {offset} of {count} bytes");
            }

            offset += read;
        }

        return data;
    }

    /// <summary>Reads until EOF or reset (never beyond the default timeout).</summary>
    public static async Task<ReadToEndResult> ReadToEndAsync(this Socket socket)
    {
        var started = Stopwatch.GetTimestamp();
        using var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestTimeouts.Default)) > 0)
            {
                data.Write(buffer, 0, read);
            }

            return new ReadToEndResult(data.ToArray(), WasReset: false, Stopwatch.GetElapsedTime(started));
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new ReadToEndResult(data.ToArray(), WasReset: true, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Round trip through an echo: sends and reads the same bytes back; returns the elapsed time.</summary>
    public static async Task<TimeSpan> EchoRoundTripAsync(this Socket socket, byte[] payload)
    {
        var started = Stopwatch.GetTimestamp();
        await socket.SendAllAsync(payload);
        var echoed = await socket.ReadExactlyAsync(payload.Length);
        var elapsed = Stopwatch.GetElapsedTime(started);
        CollectionAssert.AreEqual(payload, echoed);
        return elapsed;
    }

    /// <summary>Resets the socket: RST instead of FIN.</summary>
    public static void Abort(this Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }
}
