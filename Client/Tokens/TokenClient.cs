namespace AspireResilience.Client.Tokens;

/// <summary>
/// Talks to a token endpoint (RFC 6749: <c>/connect/token</c>, <c>/connect/revoke</c>) through
/// <paramref name="http"/>, whose base address is the token server. A refused grant is an
/// <see cref="HttpRequestException"/> naming the status and the OAuth error (never a token or
/// password), which <see cref="ResilientSession"/> retries like any other failed attempt.
/// </summary>
public sealed class TokenClient(HttpClient http)
{
    /// <summary>The resource-owner password grant: for first-party apps, demos and tests that hold the user's credentials.</summary>
    public Task<TokenResponse> PasswordAsync(string user, string password, CancellationToken cancellationToken) =>
        RequestAsync(new() { ["grant_type"] = "password", ["username"] = user, ["password"] = password }, cancellationToken);

    /// <summary>The refresh-token grant; with rotating refresh tokens the answer carries the next one.</summary>
    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    /// <summary>RFC 7009 revocation of an access or refresh token (the AuthService answers 200 either way).</summary>
    public async Task RevokeAsync(string token, string tokenTypeHint, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/connect/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["token_type_hint"] = tokenTypeHint }), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task<TokenResponse> RequestAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Token request failed with {(int)response.StatusCode}: {body}");
        }
        return System.Text.Json.JsonSerializer.Deserialize<TokenResponse>(body)!;
    }
}
