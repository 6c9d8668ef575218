using System.Diagnostics.CodeAnalysis;
using AspireResilience.AuthService.Requests;

namespace AspireResilience.AuthService.Tokens;

/// <summary>Either a token response or an OAuth error, never both.</summary>
public sealed record TokenGrantResult(TokenResponse? Response, OAuthError? Error)
{
    [MemberNotNullWhen(true, nameof(Response))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Response is not null;

    public static TokenGrantResult Success(TokenResponse response) => new(response, null);

    public static TokenGrantResult Failure(OAuthError error) => new(null, error);
}
