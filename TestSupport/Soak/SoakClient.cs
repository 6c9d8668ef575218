using AspireResilience.Client;
using AspireResilience.Protocol;
using AspireResilience.TestSupport.Hosting;
using AspireResilience.TestSupport.Sessions;

namespace AspireResilience.TestSupport.Soak;

/// <summary>
/// One soak client: a session through the reference client library, asking one prompt at a time
/// and reading its streamed answer, with a seeded pause between answers; it records what it sent
/// and everything the application saw in its <see cref="History"/>.
/// </summary>
internal sealed class SoakClient : IAsyncDisposable
{
    private readonly TestSession _client;
    private readonly Random _random;
    private readonly IReadOnlyList<string> _texts;
    private readonly int _number;
    private readonly SoakOptions _options;
    private readonly Task _reading;
    private TaskCompletionSource<bool>? _answer;
    private string? _waitingFor;
    private int _generation = 1;
    private int _network;

    private SoakClient(TestSession client, int number, IReadOnlyList<string> texts, SoakOptions options)
    {
        _client = client;
        _number = number;
        _texts = texts;
        _options = options;
        _random = new Random(HashCode.Combine(options.Seed, number));
        History = new ClientHistory(client.User);
        // The first welcome came with the connect, before anyone could listen.
        History.Add(new WelcomeSeen(Session.SessionId, false, null, 1));
        Session.StateChanged += OnStateChanged;
        _reading = ReadAsync();
    }

    public ClientHistory History { get; }

    public ResilientSession Session => _client.Session;

    public static async Task<SoakClient> ConnectAsync(TestEnvironment env, int number, IReadOnlyList<string> texts, SoakOptions options) =>
        new(await SessionFactory.ConnectAsync(env), number, texts, options);

    /// <summary>
    /// Asks prompts until <paramref name="faultsStopped"/> completes, then one more, which must be
    /// answered before <paramref name="drain"/> is cancelled; then records the final state.
    /// </summary>
    public async Task RunAsync(Task faultsStopped, CancellationToken drain)
    {
        var turn = 0;
        var served = true;
        while (served && !faultsStopped.IsCompleted)
        {
            served = await AskAsync(turn++, drain);
            var pause = _options.MinPromptPause + (_options.MaxPromptPause - _options.MinPromptPause) * _random.NextDouble();
            // The workload's pace, not a wait for a condition: the fault phase's end cuts it short.
            await Task.WhenAny(Task.Delay(pause, drain), faultsStopped);
        }
        History.Add(new FaultsStopped());
        if (served) await AskAsync(turn, drain);
        History.Add(new FinalState(Session.State.Status.ToString(), _answer is { Task.IsCompleted: false } ? 1 : 0));
    }

    /// <summary>The device changed networks: the next of <paramref name="networks"/> (source addresses), the socket dropped at once.</summary>
    public void MoveToNextNetwork(IReadOnlyList<System.Net.IPAddress> networks) =>
        Session.SwitchNetwork(networks[Interlocked.Increment(ref _network) % networks.Count]);

    /// <returns>false when the answer did not come before <paramref name="drain"/> (the client is stuck).</returns>
    private async Task<bool> AskAsync(int turn, CancellationToken drain)
    {
        var id = $"p{turn}";
        var text = _texts[(_number + turn) % _texts.Count];
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waitingFor, id);
        Volatile.Write(ref _answer, answer);
        History.Add(new PromptSent(id, text));
        try
        {
            await Session.SendPromptAsync(id, text, drain);
            await answer.Task.WaitAsync(drain);
            return true;
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var e in Session.Events.ReadAllAsync())
            {
                History.Add(new EventDelivered(e.Seq, e.Kind, e.RunId, e.Index, e.Text, e.Chain));
                if (e.Kind == EventKinds.StreamEnd && e.RunId == Volatile.Read(ref _waitingFor)) Volatile.Read(ref _answer)?.TrySetResult(true);
            }
        }
        catch (SessionClosedException)
        {
            // The session ended for good: its final state says so, and the checker fails it.
        }
    }

    // Raised on the session's own thread as the state changes, before the events of a new
    // connection are handed out: so a fresh session is in the history before its seq 1.
    private void OnStateChanged(object? sender, ConnectionState state)
    {
        switch (state.Status)
        {
            case ConnectionStatus.Resuming:
                History.Add(new LinkDropped(state.CloseCode, state.Reason ?? ""));
                break;
            case ConnectionStatus.Resumed:
                History.Add(new WelcomeSeen(Session.SessionId, true, null, ++_generation));
                break;
            case ConnectionStatus.Open:
                History.Add(new WelcomeSeen(Session.SessionId, false, state.Reason, ++_generation));
                // The prompt's run started in the lost session (the client no longer queues it): its answer is gone.
                if (Session.QueuedPrompts == 0 && Volatile.Read(ref _answer) is { Task.IsCompleted: false } answer)
                {
                    History.Add(new PromptAbandoned(Volatile.Read(ref _waitingFor)!));
                    answer.TrySetResult(false);
                }
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Session.StateChanged -= OnStateChanged;
        await _client.DisposeAsync();
        await _reading;
    }
}
