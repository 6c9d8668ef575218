using System.Net.WebSockets;
using AspireResilience.Protocol;

namespace AspireResilience.Client;

public sealed partial class ResilientSession
{
    // Prompts the server refused with too_many_runs on the current link (guarded by _pendingPrompts).
    private readonly HashSet<string> _refusedPrompts = new(StringComparer.Ordinal);

    /// <summary>
    /// A prompt refused with <c>too_many_runs</c> goes out again on the same link as soon as a run
    /// ends (<c>stream.end</c>), or after <see cref="ResilientSessionOptions.RefusedPromptRetryDelay"/>
    /// at the latest: the run that made room may have ended just before the refusal was sent, and
    /// then no later <c>stream.end</c> would come. Nothing was recorded for it, so sending the
    /// same id again is safe; a reconnect re-sends it with every other pending prompt anyway.
    /// </summary>
    private void OnPromptRefused(SessionLink link, string promptId, CancellationToken cancellationToken)
    {
        lock (_pendingPrompts)
        {
            if (!_pendingPrompts.Exists(p => p.Id == promptId)) return;
            _refusedPrompts.Add(promptId);
        }
        _ = RetryRefusedLaterAsync(link, cancellationToken);
    }

    private async Task RetryRefusedLaterAsync(SessionLink link, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.RefusedPromptRetryDelay, _options.TimeProvider, cancellationToken);
            await ResendRefusedPromptsAsync(link, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The link ended: the reconnect sends every pending prompt.
        }
    }

    /// <summary>Sends the refused prompts that still wait for their answer, once each.</summary>
    private async Task ResendRefusedPromptsAsync(SessionLink link, CancellationToken cancellationToken)
    {
        PromptMessage[] again;
        lock (_pendingPrompts)
        {
            if (_refusedPrompts.Count == 0) return;
            again = [.. _pendingPrompts.Where(p => _refusedPrompts.Contains(p.Id))];
            _refusedPrompts.Clear();
        }
        foreach (var prompt in again)
        {
            await link.SendAsync(prompt, cancellationToken);
        }
    }
}
