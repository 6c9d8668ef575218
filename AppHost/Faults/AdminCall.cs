using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireResilience.AppHost.Faults;

/// <summary>What the dashboard commands that call a service's admin API share: the POST, its answer, and when the button is live.</summary>
internal static class AdminCall
{
    /// <summary>POSTs <paramref name="path"/> at <paramref name="baseAddress"/>; success carries the JSON answer as the message.</summary>
    public static async Task<ExecuteCommandResult> PostAsync(string baseAddress, string path, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.PostAsync(path, content: null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return CommandResults.Failure($"the admin API answered {(int)response.StatusCode} (is its EnableAdminApi setting on?)");
        }
        // The answer is a small JSON object ({"dropped": 3}): the dashboard shows it as the result.
        return CommandResults.Success(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Admin commands need the service up and answering.</summary>
    public static ResourceCommandState EnabledWhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;
}
