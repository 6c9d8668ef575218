namespace AspireResilience.Backend.Auth;

/// <summary>How long a fetched JWKS is trusted before it is read again.</summary>
public static class JwksCachePolicy
{
    /// <summary>
    /// The response's <c>max-age</c>, clamped to [<see cref="TokenValidationOptions.JwksMinRefresh"/>,
    /// <see cref="TokenValidationOptions.JwksMaxRefresh"/>]: a zero max-age must not turn into a busy
    /// loop, a huge one must not keep a dropped key trusted for days. Without one, the maximum.
    /// </summary>
    public static TimeSpan RefreshAfter(TimeSpan? maxAge, TokenValidationOptions options) =>
        maxAge is { } age
            ? TimeSpan.FromTicks(Math.Clamp(age.Ticks, options.JwksMinRefresh.Ticks, options.JwksMaxRefresh.Ticks))
            : options.JwksMaxRefresh;
}
