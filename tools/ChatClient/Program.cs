using System.Net;
using System.Net.WebSockets;
using AspireResilience.ChatClient;
using AspireResilience.Client;
using AspireResilience.Client.Tokens;

// Usage: see CommandLine.Usage (--help prints it).
var options = CommandLine.Parse(args, out var argumentError);
if (options is null)
{
    if (argumentError is not null) Console.Error.WriteLine(argumentError);
    (argumentError is null ? Console.Out : Console.Error).WriteLine(CommandLine.Usage);
    return argumentError is null ? 0 : 2;
}
using var auth = new HttpClient { BaseAddress = options.Auth };
// One grant at a time, kept past a dropped link, given up after 30 s: the chat survives the
// dashboard's AuthService restart and kill. ("Revoke all tokens" closes it 4003: signed out.)
var tokens = new UserTokens(new TokenClient(auth), options.User, options.Password);
using var quit = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; quit.Cancel(); };

ResilientSession session;
try
{
    session = await ResilientSession.ConnectAsync(new ResilientSessionOptions
    {
        Endpoint = options.Endpoint,
        AccessTokenProvider = tokens.GetAsync,
    }, quit.Token);
}
catch (Exception ex) when (ex is HttpRequestException or WebSocketException or SessionClosedException or HandshakeRefusedException)
{
    // The first connection has nothing to resume: say why it failed instead of retrying blind.
    Console.Error.WriteLine($"cannot start a session at {options.Endpoint} (sign-in at {options.Auth}): {ex.Message}");
    Console.Error.WriteLine(ex.Message.Contains("invalid_grant", StringComparison.Ordinal)
        ? "The sign-in was refused: check --user and --password (the README lists the demo users)."
        : "Is the environment running? Start it with ./run.sh; it prints the line that starts this client.");
    return 1;
}
await using var _ = session;
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
            IPAddress? local = null;
            if (address.Length > 0 && !IPAddress.TryParse(address, out local))
            {
                Console.WriteLine($"[not an IP address: '{address}'; e.g. /switch 127.0.0.2]");
                break;
            }
            session.SwitchNetwork(local);
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
return 0;

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
