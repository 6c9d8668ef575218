using AspireResilience.Backend.Extensions;
using AspireResilience.Backend.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireResilience.UnitTests.Backend;

[TestClass]
public sealed class BackendCompositionTests : RedisStoreTestBase
{
    [ClassInitialize]
    public static Task StartAsync(TestContext _) => StartRedisAsync();

    [ClassCleanup]
    public static Task StopAsync() => StopRedisAsync();

    [TestMethod]
    public void TheFactoryBuildsAConnectionPerSocketFromTheRegisteredServices()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = Endpoint;
        builder.AddBackendServices();
        using var host = builder.Build();
        using var sockets = new InMemoryWebSocketPair();
        var factory = host.Services.GetRequiredService<GatewayConnectionFactory>();

        using var first = factory.Create(sockets.Server, CancellationToken.None);
        using var second = factory.Create(sockets.Server, CancellationToken.None);

        Assert.AreNotSame(first, second);
        Assert.AreNotEqual(first.Id, second.Id);
        Assert.IsNull(first.SessionId, "no session before the hello");
    }
}
