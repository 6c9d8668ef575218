namespace AspireResilience.AuthService.Requests;

/// <summary>A validated RFC 7009 <c>POST /connect/revoke</c> request.</summary>
/// <param name="TokenTypeHint"><c>refresh_token</c>, <c>access_token</c> or null (none or unknown hint).</param>
public sealed record RevocationRequest(string Token, string? TokenTypeHint)
{
    public const string AccessTokenHint = "access_token";
    public const string RefreshTokenHint = "refresh_token";

    public override string ToString() => $"{nameof(RevocationRequest)} {{ TokenTypeHint = {TokenTypeHint} }}";
}
