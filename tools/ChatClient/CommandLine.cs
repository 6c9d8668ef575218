namespace AspireResilience.ChatClient;

/// <summary>The chat client's settings; every one has the F5 environment's default.</summary>
internal sealed record CommandLine(Uri Endpoint, Uri Auth, string User, string Password)
{
    public const string Usage = """
        Usage: dotnet run --project tools/ChatClient --no-build -- [options]
          --endpoint <ws-url>   the Backend's WebSocket (default ws://localhost:5180/ws)
          --auth <http-url>     the AuthService (default http://localhost:5190)
          --user <name>         a demo user (default alice)
          --password <secret>   its password (default: $CHAT_PASSWORD, else alice's demo password)
        In the chat: /drop cuts the socket, /switch 127.0.0.2 changes networks, /quit leaves.
        """;

    private static readonly string[] Names = ["endpoint", "auth", "user", "password"];

    /// <summary>Null with <paramref name="error"/> null: help was asked for. Null with an error: the arguments are wrong.</summary>
    public static CommandLine? Parse(string[] args, out string? error)
    {
        error = null;
        if (args.Any(a => a is "--help" or "-h")) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is null || !Names.Contains(name))
            {
                error = $"unknown option '{args[i]}'";
                return null;
            }
            if (i + 1 >= args.Length)
            {
                error = $"'{args[i]}' has no value";
                return null;
            }
            values[name] = args[i + 1];
        }
        var endpoint = ParseUri(values.GetValueOrDefault("endpoint", "ws://localhost:5180/ws"), "ws", "wss");
        var auth = ParseUri(values.GetValueOrDefault("auth", "http://localhost:5190"), "http", "https");
        if (endpoint is null || auth is null)
        {
            error = endpoint is null ? "--endpoint must be a ws:// or wss:// URL" : "--auth must be an http:// or https:// URL";
            return null;
        }
        return new CommandLine(endpoint, auth,
            values.GetValueOrDefault("user", "alice"),
            values.GetValueOrDefault("password", Environment.GetEnvironmentVariable("CHAT_PASSWORD") ?? "alice-password"));
    }

    private static Uri? ParseUri(string text, params string[] schemes) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme) ? uri : null;
}
