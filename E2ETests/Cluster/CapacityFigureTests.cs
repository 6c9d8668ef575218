using AspireResilience.TestSupport.Probes;

namespace AspireResilience.E2ETests.Cluster;

/// <summary>
/// The measured inputs of docs/scaling.md's capacity model, read from outside the services: the
/// Backend's resident memory per idle session (<c>/proc</c> VmRSS before and after), Redis bytes
/// per session (INFO memory, summed over the masters), Redis connections per node (<c>ss</c>), and
/// Redis commands per streamed event (INFO commandstats over the masters). Each figure is printed
/// with what it divides, so the model can cite a run; the assertions only keep the figures sane.
/// </summary>
[TestClass]
[TestCategory(RedisModes.ClusterCategory)]
public sealed class CapacityFigureTests : E2ETest<ClusterEnvironment>
{
    private const int IdleSessions = 200;
    private const int AnsweredSessions = 40;

    [TestMethod]
    public async Task SessionFootprintAndCommandsPerEventAreMeasured()
    {
        await using var redis = await RedisProbe.ConnectAsync(Env, Timeouts.Token());
        await using var nodes = await ClusterNodes.ConnectAsync(Env);
        var backendPort = Env.BackendReplicaWebSockets.Single().Port;
        var rssBefore = await ProcessProbe.ResidentBytesAsync(backendPort, Timeouts.Token());
        var memoryBefore = await redis.UsedMemoryAsync();

        var clients = new List<TestSession>();
        try
        {
            for (var i = 0; i < IdleSessions; i++) clients.Add(await SessionFactory.ConnectAsync(Env));
            var rssIdle = await ProcessProbe.ResidentBytesAsync(backendPort, Timeouts.Token());
            var memoryIdle = await redis.UsedMemoryAsync();
            var connections = await Task.WhenAll(Enumerable.Range(0, ClusterNodes.Count)
                .Select(n => ProcessProbe.EstablishedConnectionsAsync(nodes.Port(n), Timeouts.Token())));
            Console.WriteLine($"capacity figures ({TimeProvider.System.GetUtcNow():yyyy-MM-dd}), one Backend process, Debug build:");
            Console.WriteLine($"{IdleSessions} idle sessions: Backend VmRSS +{rssIdle - rssBefore} B = {(rssIdle - rssBefore) / (double)IdleSessions:F0} B per session; "
                + $"Redis used_memory +{memoryIdle - memoryBefore} B = {(memoryIdle - memoryBefore) / (double)IdleSessions:F0} B per session (masters)");
            Console.WriteLine($"established connections per node (all clients: Backend, AuthService, probes, replication, this test): {string.Join(" ", connections)}");

            var statsBefore = await redis.CommandStatsAsync();
            var answers = await Task.WhenAll(clients.Take(AnsweredSessions).Select(async (c, i) =>
            {
                await c.Session.SendPromptAsync("p", $"measure me {i}", Timeouts.Token());
                return await c.Session.ReadAnswerAsync("p", expectedFirstSeq: 1);
            }));
            var events = answers.Sum(a => a.Events.Count);
            var memoryAnswered = await redis.UsedMemoryAsync();
            var statsAfter = await redis.CommandStatsAsync();
            var stats = statsAfter.ToDictionary(c => c.Key, c => (
                Calls: c.Value.Calls - statsBefore.GetValueOrDefault(c.Key).Calls,
                Microseconds: c.Value.Microseconds - statsBefore.GetValueOrDefault(c.Key).Microseconds));
            Console.WriteLine($"{AnsweredSessions} of them answered one prompt each: {events} events, Redis used_memory +{memoryAnswered - memoryIdle} B "
                + $"= {(memoryAnswered - memoryIdle) / (double)AnsweredSessions:F0} B per session for its first answer (its outbox stream, context list and run record are created; acks on)");
            foreach (var (command, (count, usec)) in stats.Where(c => c.Value.Calls > 0).OrderByDescending(c => c.Value.Calls))
            {
                Console.WriteLine($"  {command}: {count} calls = {count / (double)events:F2} per event, {usec} µs");
            }
            // INFO counts a script's inner calls under their own names too, and the script's time includes theirs: the sum is an upper bound.
            Console.WriteLine($"  all commands: {stats.Values.Sum(v => v.Calls) / (double)events:F2} per event (Lua-internal calls included; everything the masters ran meanwhile: appends, reads, acks, upkeep, scans, probes)");
            Console.WriteLine($"  Redis CPU: {stats.Values.Sum(v => v.Microseconds) / (double)events:F1} µs per event summed over all commands (upper bound: a script's time and its inner calls' both count), "
                + $"{stats.Where(c => c.Key is "evalsha" or "eval").Sum(c => c.Value.Microseconds) / (double)events:F1} µs per event in scripts");

            // A second answer on the same sessions: what grows with talk, apart from what the first answer created once (outbox stream, context list, run record).
            var seconds = await Task.WhenAll(clients.Take(AnsweredSessions).Select(async (c, i) =>
            {
                await c.Session.SendPromptAsync("q", $"and once more {i}", Timeouts.Token());
                return await c.Session.ReadAnswerAsync("q");
            }));
            var memorySecond = await redis.UsedMemoryAsync();
            Console.WriteLine($"a second answer on each of the {AnsweredSessions} ({seconds.Sum(a => a.Events.Count)} events): Redis used_memory +{memorySecond - memoryAnswered} B "
                + $"= {(memorySecond - memoryAnswered) / (double)AnsweredSessions:F0} B per session per further answer");

            Assert.IsGreaterThan(0, memoryIdle - memoryBefore, "idle sessions cost Redis memory");
            Assert.IsGreaterThan(0, events);
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
