using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace AspireResilience.UnitTests.Infrastructure;

/// <summary>
/// A real, throwaway redis-server on a free loopback port. Without persistence by default; with
/// <c>appendOnly</c> it keeps an AOF in a temporary directory, so <see cref="RestartAsync"/>
/// brings the data back (and, like any restart, an empty script cache).
/// </summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly string? _dataDirectory;
    private Process _process;

    private RedisServerProcess(Process process, int port, string? dataDirectory, ConnectionMultiplexer connection)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Port = port;
        Connection = connection;
    }

    public int Port { get; }

    public ConnectionMultiplexer Connection { get; }

    /// <param name="appendOnly">Keep an AOF, so a restart brings the data back.</param>
    /// <param name="port">The port to listen on; by default a free one.</param>
    public static async Task<RedisServerProcess> StartAsync(bool appendOnly = false, int? port = null)
    {
        port ??= FindFreePort();
        var dataDirectory = appendOnly ? Directory.CreateTempSubdirectory("redis-aof-").FullName : null;
        var process = Launch(port.Value, dataDirectory);
        return new RedisServerProcess(process, port.Value, dataDirectory, await ConnectWhenReadyAsync(process, port.Value));
    }

    /// <summary>
    /// Kills the server without warning (SIGKILL, a crash: no shutdown hooks) and starts a new one
    /// on the same port and data directory. With <c>appendfsync always</c> every acknowledged write
    /// is on disk, so the new process has all the data. Clients reconnect on their own.
    /// </summary>
    public async Task RestartAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        _process.Dispose();
        _process = Launch(Port, _dataDirectory);
        await using var probe = await ConnectWhenReadyAsync(_process, Port);
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
        if (_dataDirectory is not null) Directory.Delete(_dataDirectory, recursive: true);
    }

    private static Process Launch(int port, string? dataDirectory)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/redis-server")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] persistence = dataDirectory is null
            ? ["--save", "", "--appendonly", "no"]
            : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dataDirectory];
        foreach (var arg in persistence) startInfo.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--loglevel", "warning" }) startInfo.ArgumentList.Add(arg);

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server did not start.");
        // Drain stdout so a chatty server can never block on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task<ConnectionMultiplexer> ConnectWhenReadyAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ConnectionMultiplexer? connection = null;
            try
            {
                connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=1000");
                await connection.GetDatabase().PingAsync();
                return connection;
            }
            catch (RedisException) when (deadline.Elapsed < StartTimeout && !process.HasExited)
            {
                // Not listening yet, or still loading its AOF (LOADING).
                if (connection is not null) await connection.DisposeAsync();
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A loopback port nobody listens on (a moment ago).</summary>
    public static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
