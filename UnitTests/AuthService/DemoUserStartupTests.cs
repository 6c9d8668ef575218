using System.Text.Json;
using AspireResilience.AuthService.Extensions;
using AspireResilience.AuthService.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.AuthService;

/// <summary>
/// The demo users' passwords are public (they are in this repository): only Development may
/// accept them. On main they sat in the base appsettings.json, so Production accepted them too.
/// </summary>
[TestClass]
public sealed class DemoUserStartupTests
{
    [TestMethod]
    [DataRow("Production", "alice", "alice-password")]
    [DataRow("Staging", "bob", "bob-password")]
    [DataRow("Production", "carol", "alice-password")]
    public async Task ADemoPasswordStopsTheStartUpOutsideDevelopment(string environment, string user, string password)
    {
        using var host = BuildHost(environment, user, password);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("demo password", failure.Message);
    }

    [TestMethod]
    [DataRow("Development", "alice", "alice-password")]
    [DataRow("Production", "carol", "a-password-of-carols-own")]
    public void OtherwiseTheUsersPassValidation(string environment, string user, string password)
    {
        using var host = BuildHost(environment, user, password);

        Assert.AreEqual(password, host.Services.GetRequiredService<IOptions<AspireResilience.AuthService.AuthOptions>>().Value.Users[user]);
    }

    [TestMethod]
    public void TheDemoUsersShipOnlyInTheDevelopmentSettings()
    {
        var directory = ProjectDirectory("AuthService");
        using var baseSettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "appsettings.json")));
        using var development = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "appsettings.Development.json")));

        Assert.IsFalse(baseSettings.RootElement.GetProperty("Auth").TryGetProperty("Users", out _), "no users in the base settings");
        var demoPasswords = development.RootElement.GetProperty("Auth").GetProperty("Users").EnumerateObject().Select(u => u.Value.GetString()).ToList();
        Assert.IsNotEmpty(demoPasswords);
        Assert.IsTrue(demoPasswords.All(p => DemoUsers.DefaultPasswords.Contains(p!)), "every shipped password is one the start-up check knows");
    }

    private static IHost BuildHost(string environment, string user, string password)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"Auth:Users:{user}"] = password });
        builder.AddAuthServices();
        return builder.Build();
    }

    private static string ProjectDirectory(string project)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, project);
            if (File.Exists(Path.Combine(candidate, $"{project}.csproj"))) return candidate;
        }
        throw new InvalidOperationException($"{project}/ not found above {AppContext.BaseDirectory}");
    }
}
