using System.ComponentModel;

namespace AspireResilience.Client;

public sealed partial class ResilientSession : INotifyPropertyChanged
{
    private ConnectionState _state = ConnectionState.Initial;

    /// <summary>Where the link stands now: connecting, open, resuming, resumed (with the replay count) or closed (with the reason).</summary>
    public ConnectionState State => Volatile.Read(ref _state);

    /// <summary>
    /// Raised with the new <see cref="State"/> on every change, in order, on the session's own
    /// threads: a UI marshals it to its dispatcher.
    /// </summary>
    public event EventHandler<ConnectionState>? StateChanged;

    /// <summary>Raised for <see cref="State"/>, so UI frameworks can bind to it (on the session's threads, like <see cref="StateChanged"/>).</summary>
    public event PropertyChangedEventHandler? PropertyChanged;

    private static readonly PropertyChangedEventArgs StateChangedArgs = new(nameof(State));

    private void SetState(ConnectionState state)
    {
        lock (StateChangedArgs)
        {
            // Closed is final: nothing after the end may make the session look alive.
            if (_state.Status == ConnectionStatus.Closed) return;
            Volatile.Write(ref _state, state);
            StateChanged?.Invoke(this, state);
            PropertyChanged?.Invoke(this, StateChangedArgs);
        }
    }
}
