namespace AspireResilience.ChatClient;

/// <summary>The chat client's settings; every one has the F5 environment's default.</summary>
internal sealed record CommandLine(Uri Endpoint, Uri Auth, string User, string Password)
{
    public static CommandLine Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected --name value, got '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        if (args.Length % 2 != 0) throw new ArgumentException($"'{args[^1]}' has no value");
        return new CommandLine(
            new Uri(values.GetValueOrDefault("endpoint", "ws://localhost:5180/ws")),
            new Uri(values.GetValueOrDefault("auth", "http://localhost:5190")),
            values.GetValueOrDefault("user", "alice"),
            values.GetValueOrDefault("password", Environment.GetEnvironmentVariable("CHAT_PASSWORD") ?? "alice-password"));
    }
}
