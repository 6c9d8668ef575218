using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Infrastructure;

/// <summary>A real, throwaway redis-server on a free loopback port (no persistence).</summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;

    private RedisServerProcess(Process process, int port, ConnectionMultiplexer connection)
    {
        _process = process;
        Port = port;
        Connection = connection;
    }

    public int Port { get; }

    public ConnectionMultiplexer Connection { get; }

    public static async Task<RedisServerProcess> StartAsync()
    {
        var port = FindFreePort();
        var startInfo = new ProcessStartInfo("/usr/bin/redis-server")
        {
            ArgumentList = { "--save", "", "--appendonly", "no", "--port", port.ToString(), "--bind", "127.0.0.1", "--loglevel", "warning" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server did not start.");
        // Drain stdout so a chatty server can never block on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=1000");
                await connection.GetDatabase().PingAsync();
                return new RedisServerProcess(process, port, connection);
            }
            catch (RedisConnectionException) when (deadline.Elapsed < StartTimeout && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        }

        _process.Dispose();
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
