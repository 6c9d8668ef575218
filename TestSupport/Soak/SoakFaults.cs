using System.Diagnostics;
using System.Net;
using AspireResilience.AppHost.Redis;
using AspireResilience.ChaosProxy.Client;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// Injects one planned fault into the running environment and returns once it has healed (the
/// resource is healthy again, the toxic removed, the proxy back up). Each fault is a span
/// (<c>soak.fault</c>): its start is the moment of injection, the clients' <c>client.reconnect</c>
/// spans after it measure the recovery.
/// </summary>
internal sealed class SoakFaults(TestEnvironment env, IReadOnlyList<SoakClient> clients)
{
    private const string Proxy = ChaosProxyNames.Backend;

    // The "networks" a client moves between: source addresses on the loopback (Suite09's trick).
    private static readonly IPAddress[] Networks = [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")];

    /// <summary>Flapping toggles the client hop this often.</summary>
    private static readonly TimeSpan FlapHalfPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>Injects <paramref name="fault"/>, waits until it healed; returns its span (stopped).</summary>
    public async Task<Activity> InjectAsync(PlannedFault fault, CancellationToken cancellationToken)
    {
        var span = new Activity("soak.fault").SetTag("fault.kind", fault.Kind.ToString()).SetTag("fault.number", fault.Number).Start();
        try
        {
            var target = await InjectCoreAsync(fault, cancellationToken);
            span.SetTag("fault.target", target);
        }
        finally
        {
            span.Stop();
        }
        return span;
    }

    /// <returns>What was hit, for the fault log.</returns>
    private Task<string> InjectCoreAsync(PlannedFault fault, CancellationToken cancellationToken) => fault.Kind switch
    {
        FaultKind.BackendKill => KillBackendAsync(fault.Target),
        FaultKind.BackendRestart => RestartBackendAsync(fault.Target),
        FaultKind.RedisRestart => RestartRedisAsync(cancellationToken),
        FaultKind.AuthRestart => RestartAuthAsync(),
        FaultKind.ProxyCut => CutAsync(cancellationToken),
        FaultKind.ProxyBlackhole => WithToxicsAsync(fault.Hold, cancellationToken,
            Toxic.Timeout(0, ToxicStream.Downstream, "soak_blackhole_down"), Toxic.Timeout(0, ToxicStream.Upstream, "soak_blackhole_up")),
        FaultKind.ProxyLatency => WithToxicsAsync(fault.Hold, cancellationToken, Toxic.Latency(400, 150, ToxicStream.Downstream, "soak_latency")),
        FaultKind.ProxyFlap => FlapAsync(fault.Hold, cancellationToken),
        // Offline for longer than a token lives: every client comes back with an expired one.
        FaultKind.TokenExpiry => DownAsync(SoakSettings.TokenLifetime + TimeSpan.FromSeconds(1), cancellationToken),
        FaultKind.NetworkSwitch => Task.FromResult(SwitchNetworks(fault.Target)),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "unknown fault kind"),
    };

    private async Task<string> KillBackendAsync(int target)
    {
        var instance = Pick(env.Faults.Instances(ResourceNames.Backend), target);
        var pid = await env.Faults.KillAsync(ResourceNames.Backend, instance);
        await env.Faults.StartAsync(ResourceNames.Backend, pid, instance);
        return instance;
    }

    private async Task<string> RestartBackendAsync(int target)
    {
        var instance = Pick(env.Faults.Instances(ResourceNames.Backend), target);
        await env.Faults.RestartAsync(ResourceNames.Backend, instance);
        return instance;
    }

    private async Task<string> RestartRedisAsync(CancellationToken cancellationToken)
    {
        var instance = env.Faults.Instances(ResourceNames.Redis).Single();
        var restarted = await env.App.ResourceCommands.ExecuteCommandAsync(instance, RedisDataCommands.RestartKeepingData,
            Timeouts.Token(Timeouts.StartStop));
        if (!restarted.Success)
        {
            throw new InvalidOperationException($"Redis did not restart ({(restarted.Canceled ? "cancelled" : restarted.Message)}):\n"
                + await ResourceDiagnosis.DescribeAsync(env.App, ResourceNames.Redis, instance));
        }
        try
        {
            await env.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Redis, cancellationToken)
                .WaitAsync(Timeouts.StartStop, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException("Redis restarted but was not healthy again:\n" + await ResourceDiagnosis.DescribeAsync(env.App, ResourceNames.Redis, instance), e);
        }
        return instance;
    }

    private async Task<string> RestartAuthAsync()
    {
        await env.Faults.RestartAsync(ResourceNames.Auth);
        return ResourceNames.Auth;
    }

    private async Task<string> CutAsync(CancellationToken cancellationToken) =>
        $"{await env.ChaosProxy.ResetConnectionsAsync(Proxy, cancellationToken)} connections";

    private async Task<string> WithToxicsAsync(TimeSpan hold, CancellationToken cancellationToken, params Toxic[] toxics)
    {
        foreach (var toxic in toxics) await env.ChaosProxy.AddToxicAsync(Proxy, toxic, cancellationToken);
        try
        {
            await Task.Delay(hold, cancellationToken);
        }
        finally
        {
            foreach (var toxic in toxics) await env.ChaosProxy.RemoveToxicAsync(Proxy, toxic.Name, CancellationToken.None);
        }
        return Proxy;
    }

    private async Task<string> FlapAsync(TimeSpan hold, CancellationToken cancellationToken)
    {
        var until = TimeProvider.System.GetTimestamp() + (long)(hold.TotalSeconds * TimeProvider.System.TimestampFrequency);
        try
        {
            while (TimeProvider.System.GetTimestamp() < until)
            {
                await env.ChaosProxy.SetEnabledAsync(Proxy, false, cancellationToken);
                await Task.Delay(FlapHalfPeriod, cancellationToken);
                await env.ChaosProxy.SetEnabledAsync(Proxy, true, cancellationToken);
                await Task.Delay(FlapHalfPeriod, cancellationToken);
            }
        }
        finally
        {
            await env.ChaosProxy.SetEnabledAsync(Proxy, true, CancellationToken.None);
        }
        return Proxy;
    }

    private async Task<string> DownAsync(TimeSpan hold, CancellationToken cancellationToken)
    {
        await env.ChaosProxy.SetEnabledAsync(Proxy, false, cancellationToken);
        try
        {
            await Task.Delay(hold, cancellationToken);
        }
        finally
        {
            await env.ChaosProxy.SetEnabledAsync(Proxy, true, CancellationToken.None);
        }
        return Proxy;
    }

    /// <summary>A fifth of the clients, from the target on, each to the next "network".</summary>
    private string SwitchNetworks(int target)
    {
        var count = Math.Max(1, clients.Count / 5);
        for (var i = 0; i < count; i++)
        {
            var client = clients[(target + i * 5) % clients.Count];
            client.MoveToNextNetwork(Networks);
        }
        return $"{count} clients";
    }

    private static string Pick(IReadOnlyList<string> instances, int target) => instances[target % instances.Count];
}
