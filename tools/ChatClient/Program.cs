using System.Net;
using AspireResilience.ChatClient;
using AspireResilience.Client;

// Usage: dotnet run --project tools/ChatClient -- [--endpoint ws://localhost:5180/ws] [--auth http://localhost:5190] [--user alice] [--password alice-password]
var options = CommandLine.Parse(args);
using var auth = new HttpClient { BaseAddress = options.Auth };
var tokens = new PasswordGrantTokens(auth, options.User, options.Password);
using var quit = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; quit.Cancel(); };

await using var session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
{
    Endpoint = options.Endpoint,
    AccessTokenProvider = tokens.GetAsync,
}, quit.Token);
session.StateChanged += (_, state) => Console.WriteLine($"\n[{Describe(state)}]");
Console.WriteLine($"[{Describe(session.State)}] session {session.SessionId} as {options.User} at {options.Endpoint}");
Console.WriteLine("Type a prompt and Enter. /drop cuts the socket, /switch 127.0.0.2 changes networks, /quit leaves.");

var printing = PrintEventsAsync(session, quit.Token);
var errors = PrintServerErrorsAsync(session, quit.Token);
var turn = 0;
while (!quit.IsCancellationRequested && Console.ReadLine() is { } line)
{
    switch (line.Trim())
    {
        case "":
            continue;
        case "/quit":
            await quit.CancelAsync();
            break;
        case "/drop":
            session.AbortConnection();
            break;
        case var command when command.StartsWith("/switch", StringComparison.Ordinal):
            var address = command["/switch".Length..].Trim();
            session.SwitchNetwork(address.Length == 0 ? null : IPAddress.Parse(address));
            break;
        default:
            try
            {
                await session.SendPromptAsync($"turn-{++turn}", line, quit.Token);
            }
            catch (PromptQueueFullException ex)
            {
                Console.WriteLine($"[not sent: {ex.Message}]");
            }
            break;
    }
}
await quit.CancelAsync();
await printing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
await errors.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

static async Task PrintEventsAsync(ResilientSession session, CancellationToken cancellationToken)
{
    var printer = new AnswerPrinter(Console.Out);
    await foreach (var e in session.Events.ReadAllAsync(cancellationToken))
    {
        printer.Print(e);
        printer.Flush();
    }
}

// E.g. a prompt beyond Agent:MaxRunsPerSession: say why it has no answer yet (the session sends it again when a run ends).
static async Task PrintServerErrorsAsync(ResilientSession session, CancellationToken cancellationToken)
{
    await foreach (var e in session.ConnectionEvents.ReadAllAsync(cancellationToken))
    {
        if (e is ServerError error)
        {
            Console.WriteLine($"\n[server error {error.Code}: {error.Message}{(error.PromptId is null ? "" : "; sent again when an answer ends")}]");
        }
    }
}

static string Describe(ConnectionState state) => state.Status switch
{
    ConnectionStatus.Resumed => $"resumed, {state.ReplayCount} replayed",
    ConnectionStatus.Resuming => $"resuming after: {(state.CloseCode is { } code ? $"close {code} " : "")}{state.Reason}",
    ConnectionStatus.Open when state.Reason is not null => $"open: a fresh session ({state.Reason})",
    ConnectionStatus.Closed => $"closed: {(state.CloseCode is { } code ? $"{code} " : "")}{state.Reason}",
    _ => state.Status.ToString().ToLowerInvariant(),
};
