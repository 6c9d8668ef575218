using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace AspireResilience.ChatClient;

/// <summary>
/// Tokens as a signed-in app keeps them: a password grant once, then the rotating refresh token
/// whenever the session asks for a fresh access token. Nothing is written anywhere.
/// </summary>
internal sealed class PasswordGrantTokens(HttpClient auth, string user, string password)
{
    private Grant? _current;

    public async ValueTask<string> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        _current = _current is null
            ? await RequestAsync(new() { ["grant_type"] = "password", ["username"] = user, ["password"] = password }, cancellationToken)
            : forceRefresh
                ? await RequestAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = _current.RefreshToken }, cancellationToken)
                : _current;
        return _current.AccessToken;
    }

    private async Task<Grant> RequestAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await auth.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The body names the OAuth error; it never echoes the password or a token.
            throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return (await response.Content.ReadFromJsonAsync<Grant>(cancellationToken))!;
    }

    private sealed record Grant(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string RefreshToken);
}
