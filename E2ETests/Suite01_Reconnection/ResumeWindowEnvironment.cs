using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireResilience.E2ETests.Suite01_Reconnection;

/// <summary>An AppHost whose Backend keeps sessions for a resume window short enough to outlast in a test.</summary>
public sealed class ResumeWindowEnvironment : IEnvironmentDefinition
{
    public static TimeSpan Window { get; } = TimeSpan.FromSeconds(3);

    public static EnvironmentOptions Options => new()
    {
        Name = "suite01window",
        Configure = builder => builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Backend)
            .WithEnvironment("Sessions__ResumeWindow", Window.ToString()),
    };

    public static bool Shared => false;
}
