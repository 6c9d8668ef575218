using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace AspireResilience.AuthService.Requests;

/// <summary>
/// Turns a form into a validated request or an RFC 6749 error. Pure: no I/O, no clock, so every
/// rule is unit-tested on its own.
/// </summary>
public static class OAuthRequestParser
{
    public const int MaxUsernameLength = 64;
    public const int MaxPasswordLength = 256;
    public const int MaxRefreshTokenLength = 512;

    /// <summary>Room for an RS256 access token with our handful of claims, with margin.</summary>
    public const int MaxRevocableTokenLength = 4096;

    // Only these names are echoed in error descriptions: error bodies never reflect arbitrary input.
    private static readonly HashSet<string> KnownParameters =
        ["grant_type", "username", "password", "refresh_token", "scope", "client_id", "token", "token_type_hint"];

    public static bool TryParseTokenRequest(
        IFormCollection form,
        [NotNullWhen(true)] out TokenRequest? request,
        [NotNullWhen(false)] out OAuthError? error)
    {
        request = null;
        if ((error = FindRepeatedParameter(form)) is not null)
        {
            return false;
        }

        var grantType = (string?)form["grant_type"];
        switch (grantType)
        {
            case null or "":
                error = OAuthError.Request("grant_type is required.");
                return false;
            case TokenRequest.PasswordGrantType:
                var username = (string?)form["username"];
                var password = (string?)form["password"];
                error = CheckRequired("username", username, MaxUsernameLength)
                    ?? CheckRequired("password", password, MaxPasswordLength)
                    ?? (username!.Any(char.IsControl) ? OAuthError.Request("username contains control characters.") : null);
                request = error is null ? new PasswordGrantRequest(username!, password!) : null;
                return error is null;
            case TokenRequest.RefreshTokenGrantType:
                var refreshToken = (string?)form["refresh_token"];
                error = CheckRequired("refresh_token", refreshToken, MaxRefreshTokenLength);
                request = error is null ? new RefreshTokenGrantRequest(refreshToken!) : null;
                return error is null;
            default:
                // The value is not echoed back (see KnownParameters).
                error = new OAuthError(OAuthError.UnsupportedGrantType, "Supported grant types: password, refresh_token.");
                return false;
        }
    }

    public static bool TryParseRevocationRequest(
        IFormCollection form,
        [NotNullWhen(true)] out RevocationRequest? request,
        [NotNullWhen(false)] out OAuthError? error)
    {
        request = null;
        error = FindRepeatedParameter(form) ?? CheckRequired("token", form["token"], MaxRevocableTokenLength);
        if (error is not null)
        {
            return false;
        }

        // RFC 7009 §2.1: an unknown hint is not an error; the search simply covers every type.
        var hint = (string?)form["token_type_hint"] switch
        {
            RevocationRequest.AccessTokenHint => RevocationRequest.AccessTokenHint,
            RevocationRequest.RefreshTokenHint => RevocationRequest.RefreshTokenHint,
            _ => null,
        };
        request = new RevocationRequest(form["token"]!, hint);
        return true;
    }

    /// <summary>RFC 6749 §3.1: request parameters must not be included more than once.</summary>
    private static OAuthError? FindRepeatedParameter(IFormCollection form)
    {
        foreach (var (key, values) in form)
        {
            if (values.Count > 1)
            {
                return OAuthError.Request(KnownParameters.Contains(key) ? $"{key} is repeated." : "A parameter is repeated.");
            }
        }

        return null;
    }

    private static OAuthError? CheckRequired(string name, StringValues value, int maxLength)
    {
        var text = (string?)value;
        if (string.IsNullOrEmpty(text))
        {
            return OAuthError.Request($"{name} is required.");
        }

        return text.Length > maxLength ? OAuthError.Request($"{name} is longer than {maxLength} characters.") : null;
    }
}
