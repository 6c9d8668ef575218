namespace AspireResilience.Client;

/// <summary>When the client refreshes its access token in-band: a pure function of what the server told it.</summary>
public static class TokenRefreshSchedule
{
    /// <summary>
    /// <paramref name="lead"/> before <paramref name="expiresAt"/>, but never later than half of the
    /// token's remaining life at <paramref name="learnedAt"/> (when the welcome or <c>refreshed</c>
    /// named it): a 2 s token is refreshed after about 1 s, not at once and forever because the lead
    /// is longer than the token lives.
    /// </summary>
    public static DateTimeOffset RefreshAt(DateTimeOffset learnedAt, DateTimeOffset expiresAt, TimeSpan lead)
    {
        var remaining = expiresAt - learnedAt;
        if (remaining <= TimeSpan.Zero) return learnedAt;
        return expiresAt - (lead < remaining / 2 ? lead : remaining / 2);
    }
}
