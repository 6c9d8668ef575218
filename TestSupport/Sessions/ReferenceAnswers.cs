using AspireResilience.TestSupport.Hosting;

namespace AspireResilience.TestSupport.Sessions;

/// <summary>
/// The answer a prompt gets when nothing goes wrong, taken from the real Backend on a fresh
/// session of its own: what every recovered answer must equal byte for byte.
/// </summary>
public static class ReferenceAnswers
{
    /// <param name="env">The environment.</param>
    /// <param name="prompt">The prompt whose answer is wanted.</param>
    /// <param name="earlierPrompts">Prompts sent (and answered) first, so the reference sees the same history as the session it is compared with.</param>
    public static async Task<Answer> UninterruptedAsync(TestEnvironment env, string prompt, params string[] earlierPrompts)
    {
        await using var client = await SessionFactory.ConnectAsync(env);
        for (var i = 0; i < earlierPrompts.Length; i++)
        {
            await client.Session.SendPromptAsync($"earlier-{i}", earlierPrompts[i], Timeouts.Token());
            await client.Session.ReadAnswerAsync($"earlier-{i}");
        }
        await client.Session.SendPromptAsync("reference", prompt, Timeouts.Token());
        return await client.Session.ReadAnswerAsync("reference");
    }

    /// <summary>
    /// The answers to <paramref name="prompt"/> asked <paramref name="turns"/> times in a row on one
    /// fresh session: its uninterrupted answer at each turn of a conversation (the agent's answer
    /// depends on the prompt and on how much context came before it).
    /// </summary>
    public static async Task<IReadOnlyList<Answer>> AtEachTurnAsync(TestEnvironment env, string prompt, int turns)
    {
        await using var client = await SessionFactory.ConnectAsync(env);
        var answers = new List<Answer>();
        for (var turn = 0; turn < turns; turn++)
        {
            await client.Session.SendPromptAsync($"turn-{turn}", prompt, Timeouts.Token());
            answers.Add(await client.Session.ReadAnswerAsync($"turn-{turn}"));
        }
        return answers;
    }
}
