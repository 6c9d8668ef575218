namespace AspireResilience.TestSupport.Auth;

/// <summary>Talks to the real AuthService's token endpoint (RFC 6749), as a client app would.</summary>
public sealed class TokenClient(HttpClient http)
{
    public Task<TokenResponse> PasswordAsync(string user, string password, CancellationToken cancellationToken) =>
        RequestAsync(new() { ["grant_type"] = "password", ["username"] = user, ["password"] = password }, cancellationToken);

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
