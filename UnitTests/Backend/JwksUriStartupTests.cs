using AspireResilience.Backend.Auth;
using AspireResilience.Backend.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AspireResilience.UnitTests.Backend;

/// <summary>
/// Whoever serves the JWKS decides which tokens the Backend trusts, so outside Development it
/// must come over TLS. On main any scheme was fetched in any environment.
/// </summary>
[TestClass]
public sealed class JwksUriStartupTests
{
    [TestMethod]
    [DataRow("Production", "http://authservice/.well-known/jwks.json")]
    [DataRow("Staging", "http://auth.example/.well-known/jwks.json")]
    [DataRow("Production", "https+http://authservice/.well-known/jwks.json")]
    public async Task ANonHttpsJwksUriStopsTheStartUpOutsideDevelopment(string environment, string jwksUri)
    {
        using var host = BuildHost(environment, jwksUri);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Auth:JwksUri must be https://", failure.Message);
    }

    [TestMethod]
    [DataRow("Development", "http://authservice/.well-known/jwks.json")]
    [DataRow("Production", "https://authservice/.well-known/jwks.json")]
    [DataRow("Production", null)]
    public void AnHttpsUriOrDevelopmentPassesValidation(string environment, string? jwksUri)
    {
        using var host = BuildHost(environment, jwksUri);

        var options = host.Services.GetRequiredService<IOptions<TokenValidationOptions>>().Value;

        Assert.AreEqual(jwksUri ?? "https://authservice/.well-known/jwks.json", options.JwksUri.ToString());
    }

    private static IHost BuildHost(string environment, string? jwksUri)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        // Never connected to: validation stops the start before anything dials Redis.
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:redis"] = "127.0.0.1:1" };
        if (jwksUri is not null) settings["Auth:JwksUri"] = jwksUri;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddBackendServices();
        return builder.Build();
    }
}
