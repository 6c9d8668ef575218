using System.Text;
using AspireResilience.Protocol;

namespace AspireResilience.ChatClient;

/// <summary>
/// Streams one answer at a time to the console. Answers that stream while another one is on
/// screen (prompts sent in a row) are held and printed whole when they end, so no two
/// interleave.
/// </summary>
internal sealed class AnswerPrinter(TextWriter console)
{
    private readonly Dictionary<string, StringBuilder> _held = [];
    private string? _onScreen;

    public void Print(EventMessage e)
    {
        var runId = e.RunId ?? "";
        if (e.Kind == EventKinds.StreamStart && _onScreen is null) _onScreen = runId;
        var text = e.Kind switch
        {
            EventKinds.StreamStart => $"assistant ({runId}, seq {e.Seq})> ",
            EventKinds.StreamEnd => $"  [seq {e.Seq}]{Environment.NewLine}",
            _ => e.Text,
        };
        if (runId == _onScreen)
        {
            console.Write(text);
            if (e.Kind == EventKinds.StreamEnd) _onScreen = null;
            return;
        }
        var held = _held.TryGetValue(runId, out var builder) ? builder : _held[runId] = new StringBuilder();
        held.Append(text);
        if (e.Kind == EventKinds.StreamEnd && _onScreen is null)
        {
            console.Write(held);
            _held.Remove(runId);
        }
    }

    /// <summary>Prints answers that ended while another was on screen, once the screen is free.</summary>
    public void Flush()
    {
        if (_onScreen is not null) return;
        foreach (var (runId, held) in _held.Where(h => h.Value.ToString().EndsWith(Environment.NewLine, StringComparison.Ordinal)).ToArray())
        {
            console.Write(held);
            _held.Remove(runId);
        }
    }
}
