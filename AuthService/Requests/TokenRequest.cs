namespace AspireResilience.AuthService.Requests;

/// <summary>A validated <c>POST /connect/token</c> request; see the two concrete grants.</summary>
public abstract record TokenRequest(string GrantType)
{
    public const string PasswordGrantType = "password";
    public const string RefreshTokenGrantType = "refresh_token";
}
