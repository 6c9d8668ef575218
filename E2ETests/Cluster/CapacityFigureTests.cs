using AspireResilience.TestSupport.Probes;

namespace AspireResilience.E2ETests.Cluster;

/// <summary>
/// The measured inputs of docs/scaling.md's capacity model, read from the cluster itself: Redis
/// bytes per session (INFO memory, summed over the masters, before and after) and Redis commands
/// per streamed event (INFO commandstats, likewise). Each figure is printed with what it divides,
/// so the model can cite a run; the assertions only keep the figures sane (a session costs
/// something, and not more than the outbox cap could hold).
/// </summary>
[TestClass]
[TestCategory(RedisModes.ClusterCategory)]
public sealed class CapacityFigureTests : E2ETest<ClusterEnvironment>
{
    private const int Sessions = 40;

    [TestMethod]
    public async Task SessionFootprintAndCommandsPerEventAreMeasured()
    {
        await using var redis = await RedisProbe.ConnectAsync(Env, Timeouts.Token());
        var memoryBefore = await redis.UsedMemoryAsync();
        var callsBefore = await redis.CommandCallsAsync();

        var clients = new List<TestSession>();
        var events = 0;
        try
        {
            for (var i = 0; i < Sessions; i++) clients.Add(await SessionFactory.ConnectAsync(Env));
            var answers = await Task.WhenAll(clients.Select(async (c, i) =>
            {
                await c.Session.SendPromptAsync("p", $"measure me {i}", Timeouts.Token());
                return await c.Session.ReadAnswerAsync("p", expectedFirstSeq: 1);
            }));
            events = answers.Sum(a => a.Events.Count);

            var memoryAfter = await redis.UsedMemoryAsync();
            var callsAfter = await redis.CommandCallsAsync();
            var bytesPerSession = (memoryAfter - memoryBefore) / (double)Sessions;
            var calls = callsAfter.ToDictionary(c => c.Key, c => c.Value - callsBefore.GetValueOrDefault(c.Key));
            Console.WriteLine($"capacity figures ({TimeProvider.System.GetUtcNow():yyyy-MM-dd}): {Sessions} sessions, one answered prompt each, {events} events, outbox not acked");
            Console.WriteLine($"used_memory delta over the masters: {memoryAfter - memoryBefore} B = {bytesPerSession:F0} B per session");
            foreach (var (command, count) in calls.Where(c => c.Value > 0).OrderByDescending(c => c.Value))
            {
                Console.WriteLine($"  {command}: {count} calls = {count / (double)events:F2} per event");
            }
            Console.WriteLine($"all commands: {calls.Values.Sum() / (double)events:F2} per event (includes the handshakes, upkeep and probes of the run)");

            Assert.IsGreaterThan(0, bytesPerSession, "a session with an answer costs Redis memory");
            Assert.IsLessThan(256 * 1024, bytesPerSession, "a one-answer session stays far below what its outbox cap allows");
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
