namespace AspireResilience.Client;

/// <summary>What made the client refresh in-band (the <c>token.refresh.trigger</c> attribute of <c>client.token.refresh</c>).</summary>
public static class TokenRefreshTrigger
{
    /// <summary>Its own timer: <see cref="TokenRefreshSchedule.RefreshAt"/> was reached.</summary>
    public const string Schedule = "schedule";

    /// <summary>The server's <c>token.expiring</c> warning (the timer did not get there first).</summary>
    public const string Expiring = "expiring";

    /// <summary>The application asked (<see cref="ResilientSession.RefreshTokenAsync"/>).</summary>
    public const string Manual = "manual";
}
