namespace AspireResilience.AuthService.Requests;

/// <summary>RFC 6749 §4.3 resource owner password credentials grant.</summary>
public sealed record PasswordGrantRequest(string Username, string Password) : TokenRequest(PasswordGrantType)
{
    // Never print the password, not even in a debugger's record dump or a log of the request.
    public override string ToString() => $"{nameof(PasswordGrantRequest)} {{ Username = {Username} }}";
}
