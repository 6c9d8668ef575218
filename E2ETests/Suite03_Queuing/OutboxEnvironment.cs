using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireResilience.E2ETests.Suite03_Queuing;

/// <summary>
/// An AppHost whose agent answers in <see cref="ChunksPerAnswer"/> chunks without pausing, so a
/// few prompts fill the outbox past 10,000 events in seconds, and whose outbox cap
/// (<see cref="OutboxCap"/>) lies between two answers' worth and three.
/// </summary>
public sealed class OutboxEnvironment : IEnvironmentDefinition
{
    public const int ChunksPerAnswer = 5_000;

    /// <summary>Events per answer: start, the chunks, end.</summary>
    public const int EventsPerAnswer = ChunksPerAnswer + 2;

    public const int OutboxCap = 12_000;

    public static EnvironmentOptions Options => new()
    {
        Name = "suite03outbox",
        BackendReplicas = 1,
        Configure = builder => builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
            .WithEnvironment("Agent__ChunkCount", ChunksPerAnswer.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Agent__ChunkDelay", TimeSpan.Zero.ToString())
            .WithEnvironment("Sessions__OutboxCap", OutboxCap.ToString(System.Globalization.CultureInfo.InvariantCulture))
            // The overflow case streams 12 answers at once into a client that does not read.
            .WithEnvironment("Agent__MaxRunsPerSession", "12")
            // A client that stops reading while 20,000 events pile up must still be there when it reads again.
            .WithEnvironment("Gateway__HeartbeatTimeout", TimeSpan.FromMinutes(1).ToString()),
    };

    public static bool Shared => false;
}
