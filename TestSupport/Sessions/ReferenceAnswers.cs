using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Sessions;

/// <summary>
/// The answer a prompt gets when nothing goes wrong, taken from the real Backend on a fresh
/// session of its own: what every recovered answer must equal byte for byte.
/// </summary>
public static class ReferenceAnswers
{
    public static async Task<string> UninterruptedAsync(TestEnvironment env, string prompt)
    {
        await using var client = await SessionFactory.ConnectAsync(env);
        await client.Session.SendPromptAsync("reference", prompt, Timeouts.Token());
        return (await client.Session.ReadAnswerAsync("reference", expectedFirstSeq: 1)).Text;
    }
}
