using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

public sealed partial class ResilientSession
{
    // Prompts the server refused with too_many_runs on the current link (guarded by _pendingPrompts).
    private readonly HashSet<string> _refusedPrompts = new(StringComparer.Ordinal);
    private int _refusedRetryScheduled;

    /// <summary>
    /// A prompt refused with <c>too_many_runs</c> goes out again on the same link, the oldest
    /// first and one at a time: one when a run ends (<c>stream.end</c> frees one place), and one
    /// after <see cref="ResilientSessionOptions.RefusedPromptRetryDelay"/> when none ends first —
    /// the run that made room may have ended just before the refusal was sent, and then no later
    /// <c>stream.end</c> would come. One at a time keeps a client with a long queue well inside
    /// the server's frame rate; nothing was recorded for a refused prompt, so sending the same id
    /// again is safe, and a reconnect re-sends every pending prompt anyway.
    /// </summary>
    private void OnPromptRefused(SessionLink link, string promptId, CancellationToken cancellationToken)
    {
        lock (_pendingPrompts)
        {
            if (!_pendingPrompts.Exists(p => p.Id == promptId)) return;
            _refusedPrompts.Add(promptId);
        }
        if (Interlocked.Exchange(ref _refusedRetryScheduled, 1) == 0) _ = RetryRefusedLaterAsync(link, cancellationToken);
    }

    private async Task RetryRefusedLaterAsync(SessionLink link, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.RefusedPromptRetryDelay, _options.TimeProvider, cancellationToken);
            // Cleared first: a refusal of the prompt sent now schedules the next retry.
            Volatile.Write(ref _refusedRetryScheduled, 0);
            await ResendOneRefusedPromptAsync(link, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The link ended: the reconnect sends every pending prompt, and the next link's first
            // refusal schedules a retry of its own.
            Volatile.Write(ref _refusedRetryScheduled, 0);
        }
    }

    /// <summary>Sends the oldest refused prompt that still waits for its answer, if any.</summary>
    private async Task ResendOneRefusedPromptAsync(SessionLink link, CancellationToken cancellationToken)
    {
        PromptMessage? next;
        lock (_pendingPrompts)
        {
            if (_refusedPrompts.Count == 0) return;
            _refusedPrompts.IntersectWith(_pendingPrompts.Select(p => p.Id));
            next = _pendingPrompts.Find(p => _refusedPrompts.Contains(p.Id));
            if (next is not null) _refusedPrompts.Remove(next.Id);
        }
        if (next is not null) await link.SendAsync(next, cancellationToken);
    }
}
