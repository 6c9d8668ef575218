using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireResilience.Client;
using AspireResilience.Contracts;
using AspireResilience.TestSupport.Auth;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Sessions;

namespace AspireResilience.Benchmarks.Replicas;

/// <summary>
/// Two Backend replicas, many sessions, one replica SIGKILLed: how long until every affected
/// session is resumed on the survivor. Per session: kill → socket noticed dead, and kill →
/// resumed (the end of its <c>client.reconnect</c> span), with the attempts it took and why
/// attempts failed.
/// </summary>
internal sealed class ReplicaFailoverBenchmark : IBenchmark
{
    public string Verb => "replicas";

    public string Description => "SIGKILL one of 2 Backend replicas → its sessions resumed on the other. Options: --sessions N --kills N";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sessions = ReadOption(args, "--sessions", 100);
        var kills = ReadOption(args, "--kills", 3);
        await using var env = await TestEnvironment.StartAsync(new EnvironmentOptions
        {
            Name = "bench-replicas",
            UserPoolSize = sessions,
            BackendReplicas = 2,
            Configure = builder => builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Auth).WithEnvironment("Auth__AccessTokenLifetime", "01:00:00"),
        }, cancellationToken);
        var clients = new List<ResilientSession>();
        for (var i = 0; i < sessions; i++)
        {
            var (user, password) = env.Users.Next();
            var tokens = new UserTokens(env.Tokens, user, password);
            clients.Add(await ResilientSession.ConnectAsync(new ResilientSessionOptions
            {
                Endpoint = env.BackendWebSocketDirect,
                AccessTokenProvider = tokens.GetAsync,
            }, cancellationToken));
        }
        foreach (var client in clients) await client.WaitForWelcomeAsync(1, cancellationToken);

        var text = new StringBuilder().AppendLine("| kill | affected | noticed p50/max ms | resumed p50 / p99 / max ms | attempts max | failed attempts |").AppendLine("|---|---|---|---|---|---|");
        var generations = clients.ToDictionary(c => c, _ => 1);
        var instances = env.Faults.Instances(ResourceNames.Backend);
        for (var k = 0; k < kills; k++)
        {
            var victim = instances[k % instances.Count];
            env.ClientSpans.Clear();
            var killedAt = DateTime.UtcNow;
            var pid = await env.Faults.KillAsync(ResourceNames.Backend, victim);
            // Affected sessions drop; wait until each of them has a new welcome.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var reconnects = env.ClientSpans.Finished.Where(a => a.OperationName == "client.reconnect").ToArray();
            var noticed = reconnects.Select(a => (a.StartTimeUtc - killedAt).TotalMilliseconds).Order().ToArray();
            var resumed = reconnects.Select(a => (a.StartTimeUtc + a.Duration - killedAt).TotalMilliseconds).Order().ToArray();
            var failures = reconnects.SelectMany(a => a.Events).Where(e => e.Name == "attempt.failed")
                .GroupBy(e => e.Tags.FirstOrDefault(t => t.Key == ClientTelemetry.ErrorType).Value?.ToString()).Select(g => $"{g.Key}×{g.Count()}");
            var attempts = reconnects.Select(a => Convert.ToInt32(a.GetTagItem(ClientTelemetry.ReconnectAttempts) ?? 0, CultureInfo.InvariantCulture));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {k + 1} | {reconnects.Length} | {P(noticed, 0.5):F0}/{P(noticed, 1):F0} | {P(resumed, 0.5):F0} / {P(resumed, 0.99):F0} / {P(resumed, 1):F0} | {attempts.DefaultIfEmpty().Max()} | {string.Join(", ", failures)} |");
            Console.Error.WriteLine(text.ToString().Split('\n')[^2]);
            await env.Faults.StartAsync(ResourceNames.Backend, pid, victim);
        }
        foreach (var client in clients) await client.DisposeAsync();
        await BenchmarkReport.PublishAsync("replicas.md", text.ToString(), cancellationToken);
        return 0;
    }

    private static double P(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int ReadOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
