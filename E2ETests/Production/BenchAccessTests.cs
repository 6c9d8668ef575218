using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace AspireResilience.E2ETests.Production;

/// <summary>
/// The run-mode bench is closed to other local users and to web pages: Redis needs the password
/// the AppHost generated (handed over in an owner-only file, never on the command line), its data
/// folder is owner-only, and ChaosProxy's API answers only its token. On main Redis had no
/// password, its folder default permissions, and the API answered anyone.
/// </summary>
[TestClass]
[TestCategory("Production")]
[UnsupportedOSPlatform("windows")] // file modes and /proc: the suite runs on Linux
public sealed class BenchAccessTests : E2ETest<SharedEnvironment>
{
    [TestMethod]
    public async Task RedisRefusesAConnectionWithoutThePassword()
    {
        var redis = Env.App.GetEndpoint(ResourceNames.Redis, "tcp");
        using var client = new TcpClient();
        await client.ConnectAsync(redis.Host, redis.Port, Timeouts.Token());
        var stream = client.GetStream();

        await stream.WriteAsync("PING\r\n"u8.ToArray(), Timeouts.Token());
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, Timeouts.Token());

        Assert.StartsWith("-NOAUTH", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [TestMethod]
    public async Task ThePasswordIsInAnOwnerOnlyFileAndNotOnTheCommandLine()
    {
        var password = await PasswordAsync();
        Assert.IsTrue(Env.App.ResourceNotifications.TryGetCurrentState(Env.Faults.Instances(ResourceNames.Redis).Single(), out var redis));
        // The arguments DCP started redis-server with (redis-server rewrites its own process
        // title, so /proc shows less than what was handed over; both must lack the password).
        var args = string.Join(" ", ((IEnumerable<object>)redis.Snapshot.Properties.Single(p => p.Name == "executable.args").Value!).Select(a => a.ToString()));
        var pid = Env.Faults.Pid(redis.ResourceId) ?? throw new InvalidOperationException("Redis has no process");
        var processTitle = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", Timeouts.Token());
        var config = Path.Combine(Env.DataDirectory, "redis.conf");

        Assert.StartsWith(config, args, "redis-server reads the config file first");
        Assert.DoesNotContain(password, args);
        Assert.DoesNotContain(password, processTitle);
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config), "0600");
        Assert.Contains($"requirepass {password}", await File.ReadAllTextAsync(config, Timeouts.Token()));
    }

    [TestMethod]
    public void TheDataFolderIsOwnerOnly()
    {
        var mode = File.GetUnixFileMode(Path.Combine(Env.DataDirectory, "redis"));

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode,
            "0700, got " + Convert.ToString((int)mode, 8));
    }

    [TestMethod]
    public async Task TheBackendReachesRedisThroughChaosProxyWithThePassword()
    {
        var password = await PasswordAsync();
        var backend = Env.Faults.Instances(ResourceNames.Backend)[0];
        Assert.IsTrue(Env.App.ResourceNotifications.TryGetCurrentState(backend, out var state));
        var connectionString = state.Snapshot.EnvironmentVariables.Single(e => e.Name == "ConnectionStrings__redis").Value;
        var proxy = Env.App.GetEndpoint(ResourceNames.Chaos, ChaosProxyNames.Endpoint(ChaosProxyNames.Redis));

        Assert.AreEqual($"{proxy.Host}:{proxy.Port},password={password}", connectionString);
    }

    [TestMethod]
    public async Task TheChaosProxyApiRefusesARequestWithoutTheAppHostsToken()
    {
        using var anonymous = Env.App.CreateHttpClient(ResourceNames.Chaos, "http");

        using var response = await anonymous.PostAsync("reset", content: null, Timeouts.Token());
        var proxies = await Env.ChaosProxy.GetProxiesAsync(Timeouts.Token());

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.HasCount(2, proxies, "the suites' client, which holds the token, is served");
    }

    [TestMethod]
    public async Task TheDashboardsFaultCommandsHoldTheToken()
    {
        var chaos = Env.Faults.Instances(ResourceNames.Chaos).Single();

        var result = await Env.App.ResourceCommands.ExecuteCommandAsync(chaos, "chaos-latency", Timeouts.Token());
        var toxics = await Env.ChaosProxy.GetToxicsAsync(ChaosProxyNames.Backend, Timeouts.Token());

        Assert.IsTrue(result.Success, result.Message);
        Assert.IsTrue(toxics.Any(t => t.Name == "dashboard-latency"), "the command's toxic is on the backend proxy");
    }

    private static async Task<string> PasswordAsync()
    {
        var connectionString = await Env.App.GetConnectionStringAsync(ResourceNames.Redis, Timeouts.Token())
            ?? throw new InvalidOperationException("Redis has no connection string");
        return connectionString.Split(',').Single(p => p.StartsWith("password=", StringComparison.Ordinal))["password=".Length..];
    }
}
