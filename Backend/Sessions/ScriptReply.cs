using StackExchange.Redis;

namespace AspireResilience.Backend.Sessions;

/// <summary>
/// Reads the replies of our Lua scripts, which all answer a table whose first element is a
/// status word (<c>{'ok', 7}</c>). Each script's parser turns that word into a typed result, so
/// no caller ever compares magic numbers, and a reply no parser knows is a bug, not a default.
/// </summary>
internal static class ScriptReply
{
    public static string Status(RedisResult reply) =>
        reply.Resp2Type == ResultType.Array ? (string?)((RedisResult[])reply!)[0] ?? "" : (string?)reply ?? "";

    /// <summary>The integer at <paramref name="index"/> of the reply table (the status is index 0).</summary>
    public static long Number(RedisResult reply, int index) => (long)((RedisResult[])reply!)[index];

    /// <summary>The string at <paramref name="index"/>, or null when the table is shorter.</summary>
    public static string? Text(RedisResult reply, int index)
    {
        var items = (RedisResult[])reply!;
        return index < items.Length ? (string?)items[index] : null;
    }

    public static InvalidOperationException Unexpected(string script, RedisResult reply) =>
        new($"The {script} script answered '{reply}', which no parser knows.");
}
