using System.Globalization;

namespace AspireResilience.Backend.Sessions;

/// <summary>
/// The one definition of what travels on a session's channel (<see cref="SessionKeys.Channel"/>):
/// <c>e:&lt;seq&gt;</c> when an event was appended (published by the append script, which gets
/// <see cref="EventAppendedPrefix"/> as an argument) and <c>s:&lt;connectionId&gt;</c> when a
/// connection attached.
/// </summary>
public readonly record struct SessionNotification(SessionNotificationKind Kind, string Value)
{
    public const string EventAppendedPrefix = "e:";
    public const string AttachedPrefix = "s:";

    public static SessionNotification EventAppended(long seq) =>
        new(SessionNotificationKind.EventAppended, seq.ToString(CultureInfo.InvariantCulture));

    public static SessionNotification Attached(string connectionId) =>
        new(SessionNotificationKind.Attached, connectionId);

    public string Format() =>
        (Kind == SessionNotificationKind.EventAppended ? EventAppendedPrefix : AttachedPrefix) + Value;

    /// <returns>null for anything that is not a well-formed notification: a publisher we do not know is ignored, not guessed at.</returns>
    public static SessionNotification? Parse(string? text)
    {
        if (text is null) return null;
        if (text.StartsWith(EventAppendedPrefix, StringComparison.Ordinal))
        {
            var seq = text.AsSpan(EventAppendedPrefix.Length);
            return long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? EventAppended(value)
                : null;
        }
        if (text.StartsWith(AttachedPrefix, StringComparison.Ordinal) && text.Length > AttachedPrefix.Length)
        {
            return Attached(text[AttachedPrefix.Length..]);
        }
        return null;
    }
}
