using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AspireResilience.E2ETests.Production;

/// <summary>
/// What a deployment gets from this AppHost: its manifest publish (Aspire's manifest publisher,
/// the AppHost run as a process, no resource started). The services and the Redis container
/// with persistence; nothing of the test bench, no path of this machine. On main the manifest
/// held ChaosProxy, the Backend's Redis through it, the admin API, redis-server as a local
/// executable and this machine's data folders.
/// </summary>
[TestClass]
[TestCategory("Production")]
public sealed class PublishManifestTests
{
    private static JsonObject s_resources = null!;
    private static string s_text = null!;

    [ClassInitialize]
    public static async Task PublishAsync(TestContext _)
    {
        var output = Path.GetDirectoryName(RepositoryRoot.Artifact("publish", "aspire-manifest.json"))!;
        var startInfo = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AppHost"))
        {
            ArgumentList = { "--publisher", "manifest", "--output-path", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Timeouts.Token(TimeSpan.FromMinutes(1)));
        Assert.AreEqual(0, process.ExitCode, $"the publish failed: {await log} {await errors}");

        s_text = await File.ReadAllTextAsync(Path.Combine(output, "aspire-manifest.json"));
        s_resources = JsonNode.Parse(s_text)!["resources"]!.AsObject();
    }

    [TestMethod]
    public void TheManifestHoldsTheServicesAndRedisAndNothingOfTheBench()
    {
        var resources = s_resources.Select(r => r.Key).ToList();

        CollectionAssert.IsSubsetOf(new[] { ResourceNames.Redis, ResourceNames.Auth, ResourceNames.Backend }, resources);
        CollectionAssert.DoesNotContain(resources, ResourceNames.Chaos);
        CollectionAssert.DoesNotContain(resources, ChaosProxyNames.ApiTokenParameter);
        Assert.IsTrue(s_resources.All(r => (string?)r.Value!["type"] != "executable.v0"), "no local executable: " + string.Join(", ", resources));
        foreach (var bench in new[] { "chaos", "EnableAdminApi", "KeyDirectory", "executable.v0", "127.0.0.1" })
        {
            Assert.DoesNotContain(bench, s_text, $"'{bench}' is of the test bench");
        }
    }

    [TestMethod]
    public void RedisIsTheContainerWithPersistenceOnAVolume()
    {
        var redis = s_resources[ResourceNames.Redis]!;
        var volumes = redis["volumes"]!.AsArray();
        var command = string.Join(" ", redis["args"]!.AsArray().Select(a => (string?)a));

        Assert.AreEqual("container.v0", (string?)redis["type"]);
        Assert.Contains("redis", (string?)redis["image"] ?? "");
        Assert.HasCount(1, volumes);
        Assert.AreEqual("/data", (string?)volumes[0]!["target"], "the data on a named volume, no bind mount of a local folder");
        Assert.Contains("--save", command, "snapshots on: persistence");
        Assert.Contains("--requirepass", command);
    }

    [TestMethod]
    public void TheServicesReferenceRedisDirectly()
    {
        foreach (var service in new[] { ResourceNames.Backend, ResourceNames.Auth })
        {
            Assert.AreEqual("{redis.connectionString}", (string?)s_resources[service]!["env"]!["ConnectionStrings__redis"], service);
        }
    }

    [TestMethod]
    public void NoPathOfThisMachineAppears()
    {
        var root = RepositoryRoot.Find().FullName;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        Assert.DoesNotContain(root, s_text);
        Assert.DoesNotContain(home, s_text);
        Assert.DoesNotContain("obj/data", s_text);
        Assert.DoesNotContain("/usr/", s_text);
        // Project paths are relative to the manifest, as the publisher writes them.
        var paths = s_resources.Select(r => (string?)r.Value!["path"]).OfType<string>().ToList();
        Assert.IsTrue(paths.All(p => !Path.IsPathRooted(p)), string.Join(", ", paths));
    }
}
