using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AspireResilience.AuthService.Signing;

/// <summary>One RSA key pair and its <c>kid</c>. The store owns and disposes the RSA instance.</summary>
public sealed class SigningKey
{
    public SigningKey(string kid, RSA rsa)
    {
        Kid = kid;
        Rsa = rsa;
        SecurityKey = new RsaSecurityKey(rsa) { KeyId = kid };
    }

    public string Kid { get; }

    public RSA Rsa { get; }

    /// <summary>Carries <see cref="Kid"/>, so tokens signed with it get the <c>kid</c> header.</summary>
    public RsaSecurityKey SecurityKey { get; }
}
